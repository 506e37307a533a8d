package io.mtpbridge.backup.engine.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls that work relative to a directory descriptor and never follow a symbolic link
 * (openat with O_NOFOLLOW, mkdirat, unlinkat, renameat2, statx), which the JDK does not offer
 * with the guarantees passive file I/O needs (no O_NOFOLLOW on intermediate components, no
 * mkdirat, no O_NONBLOCK open that keeps a planted FIFO from blocking a thread).
 *
 * <p>Only calls whose structures are the same on every Linux architecture are used: statx (not
 * stat), getdents64 (not readdir), sizes as {@link NativeLong}. The open flags that differ by
 * architecture are chosen at class load; names are passed as UTF-8 bytes, whatever the locale.
 * Loaded on first use, so the engine's start-up does not pay for it.
 */
final class Posix {
  private Posix() {}

  interface C extends Library {
    int open(byte[] path, int flags, int mode) throws LastErrorException;

    int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;

    int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

    int renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags) throws LastErrorException;

    int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf) throws LastErrorException;

    NativeLong getdents64(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    int fchown(int fd, int uid, int gid) throws LastErrorException;

    int fchmod(int fd, int mode) throws LastErrorException;

    int futimens(int fd, NativeLong[] times) throws LastErrorException;

    int fsync(int fd) throws LastErrorException;
  }

  static final C C = Native.load("c", C.class);

  static final int O_RDONLY = 0, O_WRONLY = 1;
  static final int O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
  static final int O_DIRECTORY, O_NOFOLLOW, O_LARGEFILE;

  static {
    String arch = Platform.ARCH;
    if (arch.startsWith("arm") || arch.equals("aarch64") || arch.startsWith("ppc")) {
      O_DIRECTORY = 040000;
      O_NOFOLLOW = 0100000;
      O_LARGEFILE = arch.equals("aarch64") || arch.startsWith("ppc64") ? 0 : arch.startsWith("ppc") ? 0200000 : 0400000;
    } else if (arch.equals("x86-64") || arch.equals("x86") || arch.startsWith("riscv") || arch.equals("s390x")
        || arch.startsWith("loongarch")) {
      O_DIRECTORY = 0200000;
      O_NOFOLLOW = 0400000;
      O_LARGEFILE = arch.equals("x86") ? 0100000 : 0;
    } else {
      throw new UnsupportedOperationException("passive backup file access is not mapped for the " + arch
          + " architecture (open flags differ there)");
    }
  }

  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
  static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;
  static final int STATX_BASIC_STATS = 0x7ff;

  static final int ENOENT = 2, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOSYS = 38, ENOTEMPTY = 39,
      ELOOP = 40, EOPNOTSUPP = 95;

  static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000;

  /** A NUL-terminated UTF-8 name. */
  static byte[] name(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }

  /** An errno as the IOException a caller can act on, naming the path and the call. */
  static IOException failure(String what, String path, LastErrorException e) {
    int errno = e.getErrorCode();
    String reason = switch (errno) {
      case ELOOP -> "a symbolic link (not followed)";
      case ENOTDIR -> "not a folder (or a symbolic link, not followed)";
      case ENOENT -> "does not exist";
      case EEXIST -> "exists";
      case EISDIR -> "is a folder";
      case ENOTEMPTY -> "folder not empty";
      default -> strerror(e);
    };
    return new PosixException(path + ": " + what + ": " + reason, errno);
  }

  private static String strerror(LastErrorException e) {
    String m = e.getMessage();
    // JNA's message is "[errno] text"
    int i = m == null ? -1 : m.indexOf(']');
    return i >= 0 ? m.substring(i + 1).strip() : "error " + e.getErrorCode();
  }

  /** An IOException that keeps the errno, so callers can tell "absent" from "refused". */
  static final class PosixException extends IOException {
    final int errno;

    PosixException(String message, int errno) {
      super(message);
      this.errno = errno;
    }
  }
}
