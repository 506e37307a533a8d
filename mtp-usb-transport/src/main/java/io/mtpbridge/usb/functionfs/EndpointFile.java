package io.mtpbridge.usb.functionfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.mtpbridge.usb.function.EndpointAbortedException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One FunctionFS file (ep0 or an endpoint) used through raw libc calls: one read(2)/write(2) is one
 * USB transfer, a zero-length write is a ZLP, and a call blocked on a host that went quiet can be
 * aborted from another thread.
 */
final class EndpointFile implements Closeable {
  private static final ScheduledExecutorService KICKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ffs-abort");
    t.setDaemon(true);
    return t;
  });
  private static final int KICK_INTERVAL_MS = 5;
  private static final int KICK_LIMIT = 2000;

  private final Path path;
  private final int fd;
  private final Memory scratch = new Memory(1);
  private volatile boolean aborted;
  private volatile long abortEpoch;
  /** The thread inside a system call on this file and the abort epoch it started in. */
  private volatile NativeLong callThread;
  private volatile long callEpoch;
  private volatile boolean closed;

  private EndpointFile(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  static EndpointFile open(Path path, int flags) throws IOException {
    try {
      return new EndpointFile(path, LibC.open(path.toString(), flags | LibC.O_CLOEXEC));
    } catch (LastErrorException e) {
      throw new NativeIoException("open " + path, e.getErrorCode());
    }
  }

  Path path() { return path; }

  int fd() { return fd; }

  /** One read(2); 0 is a ZLP (or, on ep0, an acknowledged status stage). */
  int read(ByteBuffer dst) throws IOException {
    int n = transfer(dst, false);
    dst.position(dst.position() + n);
    return n;
  }

  /** One write(2) of all remaining bytes; an empty buffer writes a ZLP. */
  int write(ByteBuffer src) throws IOException {
    int n = transfer(src, true);
    src.position(src.position() + n);
    return n;
  }

  private int transfer(ByteBuffer buf, boolean write) throws IOException {
    if (!buf.isDirect() && buf.hasRemaining()) {
      ByteBuffer direct = ByteBuffer.allocateDirect(buf.remaining());
      if (write) direct.put(buf.duplicate()).flip();
      int n = transfer(direct, write);
      if (!write) buf.duplicate().put(direct.limit(n));
      return n;
    }
    Pointer p = buf.hasRemaining() ? Native.getDirectBufferPointer(buf).share(buf.position()) : scratch;
    NativeLong count = new NativeLong(buf.remaining());
    long epoch = abortEpoch;
    if (aborted) throw new EndpointAbortedException(path.getFileName() + " aborted");
    callEpoch = epoch;
    callThread = ThreadInterrupter.currentThread();
    try {
      while (true) {
        if (aborted || abortEpoch != epoch || closed) throw new EndpointAbortedException(path.getFileName() + " aborted");
        try {
          NativeLong n = write ? LibC.write(fd, p, count) : LibC.read(fd, p, count);
          return n.intValue();
        } catch (LastErrorException e) {
          int errno = e.getErrorCode();
          if (errno == LibC.EINTR) continue;
          if (errno == LibC.ESHUTDOWN || errno == LibC.ECONNRESET || errno == LibC.ENODEV) {
            throw new EndpointAbortedException(path.getFileName() + ": endpoint disabled (" + NativeIoException.describe(errno) + ")");
          }
          throw new NativeIoException((write ? "write " : "read ") + path, errno);
        }
      }
    } finally {
      callThread = null;
    }
  }

  int ioctl(long request, Pointer arg) throws IOException {
    try {
      return LibC.ioctl(fd, new NativeLong(request), arg);
    } catch (LastErrorException e) {
      throw new NativeIoException("ioctl 0x" + Long.toHexString(request) + " on " + path, e.getErrorCode());
    }
  }

  int ioctl(long request) throws IOException {
    try {
      return LibC.ioctl(fd, new NativeLong(request), new NativeLong(0));
    } catch (LastErrorException e) {
      throw new NativeIoException("ioctl 0x" + Long.toHexString(request) + " on " + path, e.getErrorCode());
    }
  }

  /**
   * Makes the current and every later call fail until {@link #resume()}. A blocked call is woken
   * with a signal, repeated until it has left the kernel, because a signal that lands just before
   * the thread enters read(2) would otherwise be lost.
   */
  void abort() {
    aborted = true;
    long epoch = ++abortEpoch;
    kick(epoch, 0);
  }

  private void kick(long epoch, int attempt) {
    NativeLong t = callThread;
    if (t == null || callEpoch >= epoch || attempt > KICK_LIMIT) return;
    ThreadInterrupter.interrupt(t);
    KICKER.schedule(() -> kick(epoch, attempt + 1), KICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  void resume() { aborted = false; }

  boolean isAborted() { return aborted; }

  @Override public void close() {
    if (closed) return;
    closed = true;
    abort();
    // the descriptor is released only once no thread is inside a call on it, so its number can
    // never be reused under a thread that is about to retry
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (callThread != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // nothing left to do with it
    }
  }
}
