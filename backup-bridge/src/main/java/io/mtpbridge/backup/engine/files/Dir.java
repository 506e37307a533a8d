package io.mtpbridge.backup.engine.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An open directory, and everything done inside it by name: one name (never a path) per call,
 * relative to this descriptor, and never through a symbolic link. Whatever an owner renames or
 * replaces meanwhile, a Dir keeps pointing at the folder it opened, so a walk that opens one
 * component at a time from the volume root cannot be led outside it.
 */
public final class Dir implements AutoCloseable {
  private final int fd;
  private final String path;
  private boolean closed;

  private Dir(int fd, String path) {
    this.fd = fd;
    this.path = path;
  }

  /** Opens a configured folder (a volume root: trusted configuration, so links in it are followed). */
  public static Dir open(Path folder) throws IOException {
    String p = folder.toAbsolutePath().toString();
    try {
      return new Dir(Posix.C.open(Posix.name(p), Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC, 0), p);
    } catch (LastErrorException e) {
      throw Posix.failure("open", p, e);
    }
  }

  /** For messages: where this folder was when it was opened. */
  public String path() { return path; }

  private String child(String name) { return path.endsWith("/") ? path + name : path + "/" + name; }

  private static void checkName(String name) throws IOException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IOException("not a single file name: '" + name + "'");
    }
  }

  /** Opens sub-folder {@code name}; a symbolic link (or anything but a folder) is refused. */
  public Dir openDir(String name) throws IOException {
    checkName(name);
    try {
      int d = Posix.C.openat(fd, Posix.name(name), Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0);
      return new Dir(d, child(name));
    } catch (LastErrorException e) {
      throw Posix.failure("open folder", child(name), e);
    }
  }

  /** A second descriptor of this same folder. */
  public Dir openDirSelf() throws IOException {
    try {
      return new Dir(Posix.C.openat(fd, new byte[] {'.', 0}, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC, 0), path);
    } catch (LastErrorException e) {
      throw Posix.failure("open", path, e);
    }
  }

  /** Opens sub-folder {@code name}, or null when there is none; a link or a file there is an error. */
  public Dir openDirIfExists(String name) throws IOException {
    try {
      return openDir(name);
    } catch (Posix.PosixException e) {
      if (e.errno == Posix.ENOENT) return null;
      throw e;
    }
  }

  /** Creates sub-folder {@code name} (mode {@code mode}, before the umask). */
  public void mkdir(String name, int mode) throws IOException {
    checkName(name);
    try {
      Posix.C.mkdirat(fd, Posix.name(name), mode);
    } catch (LastErrorException e) {
      throw Posix.failure("create folder", child(name), e);
    }
  }

  /** Gives this folder to {@code uid}:{@code gid} and sets its mode (a folder the engine created for an owner). */
  public void own(int uid, int gid, int mode) throws IOException {
    try {
      Posix.C.fchown(fd, uid, gid);
      Posix.C.fchmod(fd, mode & 07777);
    } catch (LastErrorException e) {
      throw Posix.failure("give to uid " + uid, path, e);
    }
  }

  /** statx of {@code name} itself (a link is reported as a link), or null when there is none. */
  public Stat stat(String name) throws IOException {
    checkName(name);
    return statx(Posix.name(name), Posix.AT_SYMLINK_NOFOLLOW, child(name));
  }

  /** statx of this folder. */
  public Stat stat() throws IOException {
    return statx(new byte[] {0}, Posix.AT_EMPTY_PATH | Posix.AT_SYMLINK_NOFOLLOW, path);
  }

  private Stat statx(byte[] name, int flags, String what) throws IOException {
    return statx(fd, name, flags, what);
  }

  static Stat statx(int fd, byte[] name, int flags, String what) throws IOException {
    Memory buf = new Memory(256);
    try {
      Posix.C.statx(fd, name, flags, Posix.STATX_BASIC_STATS, buf);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Posix.ENOENT && name.length > 1) return null;
      throw Posix.failure("stat", what, e);
    }
    int mode = buf.getShort(28) & 0xFFFF;
    long sec = buf.getLong(112);
    int nsec = buf.getInt(120);
    return new Stat(mode & Posix.S_IFMT, buf.getLong(40), sec * 1000 + nsec / 1_000_000, mode & 07777,
        buf.getInt(20), buf.getInt(24));
  }

  /** One entry of a folder listing: its name and the type getdents reports (0 when unknown). */
  public record Entry(String name, int dtype) {
    public static final int DT_UNKNOWN = 0, DT_DIR = 4, DT_REG = 8, DT_LNK = 10;
  }

  /**
   * The names in this folder (without . and ..). Names that are not valid UTF-8 cannot be carried
   * by an archive; they are passed to {@code skipped} and left out.
   */
  public List<Entry> list(java.util.function.Consumer<String> skipped) throws IOException {
    List<Entry> out = new ArrayList<>();
    Memory buf = new Memory(32 * 1024);
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    // getdents continues where the descriptor's offset stands: rewind first (the folder may
    // have been listed through this descriptor before).
    int d;
    try {
      d = Posix.C.openat(fd, new byte[] {'.', 0}, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw Posix.failure("list", path, e);
    }
    try {
      while (true) {
        long n;
        try {
          n = Posix.C.getdents64(d, buf, new NativeLong(buf.size())).longValue();
        } catch (LastErrorException e) {
          throw Posix.failure("list", path, e);
        }
        if (n <= 0) break;
        for (long off = 0; off < n; ) {
          int reclen = buf.getShort(off + 16) & 0xFFFF;
          int type = buf.getByte(off + 18) & 0xFF;
          byte[] raw = nameAt(buf, off + 19, reclen - 19);
          off += reclen;
          if (raw.length == 1 && raw[0] == '.' || raw.length == 2 && raw[0] == '.' && raw[1] == '.') continue;
          try {
            out.add(new Entry(decoder.decode(java.nio.ByteBuffer.wrap(raw)).toString(), type));
          } catch (CharacterCodingException e) {
            skipped.accept(path + "/" + new String(raw, StandardCharsets.UTF_8) + ": name is not valid UTF-8");
          }
        }
      }
    } finally {
      closeQuietly(d);
    }
    return out;
  }

  private static byte[] nameAt(Memory buf, long off, int max) {
    int len = 0;
    while (len < max && buf.getByte(off + len) != 0) len++;
    return buf.getByteArray(off, len);
  }

  /**
   * Opens regular file {@code name} for reading. A link is refused, and so is anything that is not
   * a regular file once open (a FIFO an owner planted would otherwise block the reader forever:
   * it is opened non-blocking, then checked).
   */
  public FileReader openRead(String name) throws IOException {
    checkName(name);
    int f;
    try {
      f = Posix.C.openat(fd, Posix.name(name),
          Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_NOCTTY | Posix.O_CLOEXEC | Posix.O_LARGEFILE, 0);
    } catch (LastErrorException e) {
      throw Posix.failure("open", child(name), e);
    }
    try {
      Stat s = statx(f, new byte[] {0}, Posix.AT_EMPTY_PATH, child(name));
      if (!s.isFile()) throw new IOException(child(name) + ": not a regular file");
      return new FileReader(f, child(name), s);
    } catch (IOException | RuntimeException e) {
      closeQuietly(f);
      throw e;
    }
  }

  /**
   * Creates a new, empty file with a name of its own ({@code prefix}, a random part,
   * {@code suffix}) for writing; never reuses or follows anything already there.
   */
  public FileWriter createTemp(String prefix, String suffix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + suffix;
      try {
        int f = Posix.C.openat(fd, Posix.name(name), Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW
            | Posix.O_NOCTTY | Posix.O_CLOEXEC | Posix.O_LARGEFILE, 0600);
        return new FileWriter(f, name, child(name));
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Posix.EEXIST || attempt > 20) throw Posix.failure("create", child(name), e);
      }
    }
  }

  /** Removes file (or link) {@code name}; false when there was none. */
  public boolean unlink(String name) throws IOException {
    checkName(name);
    try {
      Posix.C.unlinkat(fd, Posix.name(name), 0);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Posix.ENOENT) return false;
      throw Posix.failure("remove", child(name), e);
    }
  }

  /** Removes empty folder {@code name}. */
  public void rmdir(String name) throws IOException {
    checkName(name);
    try {
      Posix.C.unlinkat(fd, Posix.name(name), Posix.AT_REMOVEDIR);
    } catch (LastErrorException e) {
      throw Posix.failure("remove folder", child(name), e);
    }
  }

  /** Renames {@code from} here to {@code to} in {@code target}, refusing to replace anything. */
  public void renameNoReplace(String from, Dir target, String to) throws IOException {
    rename(from, target, to, Posix.RENAME_NOREPLACE);
  }

  /**
   * Swaps {@code a} here and {@code b} in {@code target} in one step: each name then holds what the
   * other held. Throws {@link UnsupportedOperationException} where the file system cannot.
   */
  public void exchange(String a, Dir target, String b) throws IOException {
    try {
      rename(a, target, b, Posix.RENAME_EXCHANGE);
    } catch (Posix.PosixException e) {
      if (e.errno == Posix.EINVAL || e.errno == Posix.ENOSYS || e.errno == Posix.EOPNOTSUPP) {
        throw new UnsupportedOperationException(e.getMessage());
      }
      throw e;
    }
  }

  /** Renames {@code from} here to {@code to} in {@code target}, replacing a file there. */
  public void rename(String from, Dir target, String to) throws IOException {
    rename(from, target, to, 0);
  }

  private void rename(String from, Dir target, String to, int flags) throws IOException {
    checkName(from);
    checkName(to);
    try {
      Posix.C.renameat2(fd, Posix.name(from), target.fd, Posix.name(to), flags);
    } catch (LastErrorException e) {
      throw Posix.failure("rename to " + target.child(to), child(from), e);
    }
  }

  static void closeQuietly(int fd) {
    try {
      Posix.C.close(fd);
    } catch (LastErrorException ignored) {
      // nothing to do about a failed close of a descriptor we only read through
    }
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    closeQuietly(fd);
  }
}
