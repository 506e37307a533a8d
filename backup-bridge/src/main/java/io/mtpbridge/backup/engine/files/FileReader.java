package io.mtpbridge.backup.engine.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;

/** A regular file opened by {@link Dir#openRead}, read as a stream; {@link #stat()} is of the open file. */
public final class FileReader extends InputStream {
  private static final int BUFFER = 256 * 1024;
  private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(BUFFER));

  private final int fd;
  private final String path;
  private final Stat stat;
  private boolean closed;

  FileReader(int fd, String path, Stat stat) {
    this.fd = fd;
    this.path = path;
    this.stat = stat;
  }

  public Stat stat() { return stat; }

  @Override public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override public int read(byte[] b, int off, int len) throws IOException {
    if (closed) throw new IOException(path + ": closed");
    if (len == 0) return 0;
    Memory buf = BUFFERS.get();
    int want = (int) Math.min(len, buf.size());
    long n;
    try {
      n = Posix.C.read(fd, buf, new NativeLong(want)).longValue();
    } catch (LastErrorException e) {
      throw Posix.failure("read", path, e);
    }
    if (n == 0) return -1;
    buf.read(0, b, off, (int) n);
    return (int) n;
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    Dir.closeQuietly(fd);
  }
}
