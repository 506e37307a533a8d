package io.mtpbridge.core.storage;

import java.time.Instant;

/**
 * What the host announced about an object it is about to create (SendObjectInfo or
 * SendObjectPropList).
 *
 * @param name validated name
 * @param folder true to create a folder
 * @param size announced size in bytes, or -1 when the host did not say (ObjectInfo size 0xFFFFFFFF
 *     without a 64-bit ObjectSize)
 * @param formatCode the MTP format code the host gave
 * @param created requested creation time, or null
 * @param modified requested modification time (applied when the object is committed), or null
 */
public record NewObject(String name, boolean folder, long size, int formatCode, Instant created, Instant modified) {
  public NewObject {
    if (size < -1) throw new IllegalArgumentException("size " + size);
  }

  public boolean sizeKnown() { return size >= 0; }
}
