package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import java.util.Objects;

/** A storage as the responder serves it: its StorageID and the storage itself. */
public record StorageSlot(int id, Storage storage) {
  public StorageSlot {
    Objects.requireNonNull(storage, "storage");
    if ((id & 0xFFFF) == 0) throw new IllegalArgumentException(String.format("StorageID 0x%08X: the low 16 bits must be non-zero (libmtp skips such storages)", id));
    if (id == 0xFFFFFFFF) throw new IllegalArgumentException("StorageID 0xFFFFFFFF means 'all storages'");
  }

  /**
   * The one read-only check every write goes through: a read-only storage refuses with
   * {@link StorageError#READ_ONLY}, answered StoreReadOnly.
   */
  public void requireWritable() throws StorageException {
    if (storage.isReadOnly()) throw new StorageException(StorageError.READ_ONLY, "storage " + this + " is read-only");
  }

  @Override public String toString() { return String.format("Storage[0x%08X %s]", id, storage); }
}
