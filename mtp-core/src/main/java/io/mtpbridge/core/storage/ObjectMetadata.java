package io.mtpbridge.core.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What a storage knows about one object.
 *
 * @param name the object's name in its folder ("" for a storage root)
 * @param folder true for a folder (an MTP Association)
 * @param size size in bytes (64-bit; 0 for folders)
 * @param created creation time, or null when the medium does not keep one
 * @param modified last modification time, or null when unknown
 * @param writeProtected the object may not be modified or deleted (MTP ProtectionStatus read-only)
 * @param hidden the object should not be shown by default
 * @param formatCode an MTP object format code the storage insists on, or 0 to let the responder
 *     derive it from the name (Association for folders)
 * @param persistentKey a stable identity across sessions (an inode number, a database key), or null
 *     to let the responder derive one from the path
 */
public record ObjectMetadata(String name, boolean folder, long size, Instant created, Instant modified,
                             boolean writeProtected, boolean hidden, int formatCode, String persistentKey) {
  public ObjectMetadata {
    Objects.requireNonNull(name, "name");
    if (size < 0) throw new IllegalArgumentException("negative size " + size);
  }

  public static ObjectMetadata file(String name, long size, Instant modified) {
    return new ObjectMetadata(name, false, size, modified, modified, false, false, 0, null);
  }

  public static ObjectMetadata folder(String name, Instant modified) {
    return new ObjectMetadata(name, true, 0, modified, modified, false, false, 0, null);
  }

  /**
   * The creation date shown to a host (ObjectInfo's CaptureDate, the DateCreated property): the
   * creation time, but never later than the modification time. A photo copied onto the device with
   * its date kept (mtp-sendfile, a file manager, {@code cp -p}) was born at the copy, yet its
   * content is older: Android and uMTP-Responder show the modification time as both dates, and a
   * host that shows "created" after "modified" only confuses. A file made on the device and edited
   * later keeps its real creation time. {@link #created()} itself stays the medium's birth time (it
   * is part of an object's persistent identity, see ObjectIndex).
   */
  public Instant dateCreated() {
    if (created == null) return modified;
    if (modified == null) return created;
    return modified.isBefore(created) ? modified : created;
  }

  public ObjectMetadata withName(String newName) {
    return new ObjectMetadata(newName, folder, size, created, modified, writeProtected, hidden, formatCode, persistentKey);
  }
}
