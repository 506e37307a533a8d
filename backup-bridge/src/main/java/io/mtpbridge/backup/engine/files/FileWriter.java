package io.mtpbridge.backup.engine.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A file created by {@link Dir#createTemp}: written as a stream, then given its owner, mode and
 * mtime through the descriptor (never by name, so nothing an owner swaps in meanwhile is touched).
 */
public final class FileWriter extends OutputStream {
  private static final int BUFFER = 256 * 1024;
  private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(BUFFER));

  private final int fd;
  private final String name;
  private final String path;
  private boolean closed;

  FileWriter(int fd, String name, String path) {
    this.fd = fd;
    this.name = name;
    this.path = path;
  }

  /** The file's name in its folder. */
  public String name() { return name; }

  @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

  @Override public void write(byte[] b, int off, int len) throws IOException {
    if (closed) throw new IOException(path + ": closed");
    Memory buf = BUFFERS.get();
    while (len > 0) {
      int n = (int) Math.min(len, buf.size());
      buf.write(0, b, off, n);
      int done = 0;
      while (done < n) {
        try {
          done += (int) Posix.C.write(fd, buf.share(done), new NativeLong(n - done)).longValue();
        } catch (LastErrorException e) {
          throw Posix.failure("write", path, e);
        }
      }
      off += n;
      len -= n;
    }
  }

  /** Gives the file to {@code uid}:{@code gid} (needs root for another user). */
  public void chown(int uid, int gid) throws IOException {
    try {
      Posix.C.fchown(fd, uid, gid);
    } catch (LastErrorException e) {
      throw Posix.failure("give to uid " + uid, path, e);
    }
  }

  public void chmod(int mode) throws IOException {
    try {
      Posix.C.fchmod(fd, mode & 07777);
    } catch (LastErrorException e) {
      throw Posix.failure("set mode", path, e);
    }
  }

  /** Sets the modification time (and the access time to the same). */
  public void setModified(long millis) throws IOException {
    NativeLong sec = new NativeLong(Math.floorDiv(millis, 1000));
    NativeLong nsec = new NativeLong(Math.floorMod(millis, 1000) * 1_000_000L);
    try {
      Posix.C.futimens(fd, new NativeLong[] {sec, nsec, sec, nsec});
    } catch (LastErrorException e) {
      throw Posix.failure("set the modification time", path, e);
    }
  }

  public Stat stat() throws IOException { return Dir.statx(fd, new byte[] {0}, Posix.AT_EMPTY_PATH, path); }

  @Override public void close() {
    if (closed) return;
    closed = true;
    Dir.closeQuietly(fd);
  }
}
