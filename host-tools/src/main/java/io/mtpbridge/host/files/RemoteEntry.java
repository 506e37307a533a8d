package io.mtpbridge.host.files;

import java.time.Instant;

/**
 * A file, a folder or a storage root on the device, with the path the tool shows for it
 * ({@code /<storage description>/<path>}).
 *
 * @param storageId the storage it lies in
 * @param handle its object handle, or {@link #ROOT} for a storage root
 * @param size bytes (0 for folders)
 * @param modified DateModified, or null when the device gives none
 */
public record RemoteEntry(int storageId, int handle, String name, boolean folder, long size, Instant modified, String path) {
  public static final int ROOT = 0xFFFFFFFF;

  public boolean isStorageRoot() { return handle == ROOT; }
}
