package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the file system under a storage can hold, so that a name or a size it cannot take is
 * refused when the host announces the object (InvalidParameter, ObjectTooLarge), before any data,
 * instead of failing after the transfer. Detected from the mount's type ({@code FileStore.type()},
 * which Linux reads from the mount table).
 */
enum FileSystemKind {
  /** FAT12/16/32 (vfat, msdos): Windows' forbidden characters, no trailing dot or space, files below 4 GiB. */
  FAT(true, 0xFFFF_FFFFL),
  /** exFAT: the same forbidden characters and trailing rule, no 4 GiB limit. */
  EXFAT(true, Long.MAX_VALUE),
  /** Every other (POSIX) file system: any character but '/' and NUL, 255 bytes per name. */
  POSIX(false, Long.MAX_VALUE);

  /** Linux's NAME_MAX: the longest name in bytes most file systems store. */
  static final int NAME_MAX_BYTES = 255;

  private final boolean windowsNames;
  private final long maxFileSize;

  FileSystemKind(boolean windowsNames, long maxFileSize) {
    this.windowsNames = windowsNames;
    this.maxFileSize = maxFileSize;
  }

  /** The kind for a mount type such as "ext4", "vfat", "exfat", "tmpfs". */
  static FileSystemKind of(String mountType) {
    String t = mountType == null ? "" : mountType.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "vfat", "msdos", "fat", "umsdos" -> FAT;
      case "exfat" -> EXFAT;
      default -> POSIX;
    };
  }

  /** The largest file this file system holds, in bytes. */
  long maxFileSize() { return maxFileSize; }

  /**
   * Refuses ({@link StorageError#INVALID_NAME}) a name, already valid as an MTP name, that this
   * file system cannot store as given.
   */
  void checkName(String name) throws StorageException {
    if (windowsNames) {
      // FAT and exFAT count UTF-16 units (255 at most; MTP names are 254 at most already).
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c < 0x20 || "\"*:<>?|\\/".indexOf(c) >= 0) {
          throw invalid(name, "a FAT/exFAT file system cannot hold the character " + describe(c));
        }
      }
      char last = name.charAt(name.length() - 1);
      // Linux's vfat and exfat drop trailing dots (and vfat trailing spaces) silently: the file
      // would get another name than the host gave it.
      if (last == '.' || last == ' ') throw invalid(name, "a FAT/exFAT file system drops a trailing " + (last == '.' ? "dot" : "space"));
    } else {
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > NAME_MAX_BYTES) {
        throw invalid(name, bytes + " bytes in UTF-8; the file system holds names of at most " + NAME_MAX_BYTES + " bytes");
      }
    }
  }

  /** Refuses ({@link StorageError#OBJECT_TOO_LARGE}) a file this file system cannot hold; -1 = size not told (4 GiB or more). */
  void checkSize(long size) throws StorageException {
    if (maxFileSize == Long.MAX_VALUE) return;
    if (size < 0 || size > maxFileSize) {
      throw new StorageException(StorageError.OBJECT_TOO_LARGE, (size < 0 ? "a file of 4 GiB or more" : size + " bytes")
          + ": a FAT file system holds files of at most " + maxFileSize + " bytes");
    }
  }

  private static String describe(char c) {
    return c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }

  private static StorageException invalid(String name, String why) {
    String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
    return new StorageException(StorageError.INVALID_NAME, "invalid name \"" + shown + "\": " + why);
  }
}
