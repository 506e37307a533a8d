package io.mtpbridge.host.files;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The folders on the way down a recursive listing or copy. A device's listings are its word only:
 * one that lists a folder inside itself (or inside its own subfolder) would be walked forever,
 * until the stack or the disk gives out, and one that makes up a new subfolder each time it is
 * asked, likewise. So a folder already on the way down, or a path deeper than any file system
 * holds, ends the walk with an error naming where.
 */
public final class Descent {
  /** Deeper than any local path can be (PATH_MAX 4096 holds at most 2048 one-letter levels). */
  public static final int MAX_DEPTH = 1024;
  private final Set<Long> onTheWay = new HashSet<>();

  /** Steps into {@code folder}; {@link #leave} steps out again. */
  public void enter(RemoteEntry folder) throws IOException {
    if (onTheWay.size() >= MAX_DEPTH) {
      throw new IOException("the device's folder tree goes on more than " + MAX_DEPTH + " levels deep, at " + folder.path()
          + ": stopped there (a fault of the device; report it to its maker)");
    }
    if (!onTheWay.add(key(folder))) {
      throw new IOException(folder.path() + ": the device lists this folder inside itself (a loop in its folder tree):"
          + " stopped there (a fault of the device; report it to its maker)");
    }
  }

  public void leave(RemoteEntry folder) {
    onTheWay.remove(key(folder));
  }

  /** Handles are the device's across storages; every storage root has the same one. */
  private static long key(RemoteEntry folder) {
    return folder.isStorageRoot() ? 0xFFFFFFFF00000000L | (folder.storageId() & 0xFFFFFFFFL) : folder.handle() & 0xFFFFFFFFL;
  }
}
