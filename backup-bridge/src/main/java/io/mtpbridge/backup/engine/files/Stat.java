package io.mtpbridge.backup.engine.files;

/** What statx reports of one object (never of a link's target): type, size, mtime (ms), mode, owner. */
public record Stat(int type, long size, long mtimeMillis, int mode, int uid, int gid) {
  public boolean isFile() { return type == Posix.S_IFREG; }

  public boolean isDirectory() { return type == Posix.S_IFDIR; }

  public boolean isLink() { return type == Posix.S_IFLNK; }
}
