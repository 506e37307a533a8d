package io.mtpbridge.backup.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * From an owner's {@code backup(..., OutputStream data, ...)}, running on a thread of its own, to
 * the engine's section calls: a few chunks in flight at most, so the owner writes no faster than
 * the engine takes. Cancelling makes the owner's next write throw.
 */
final class SectionPipe extends OutputStream {
  private static final int CHUNK = 64 * 1024;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4);
  private byte[] chunk = new byte[CHUNK];
  private int filled;
  private volatile boolean cancelled;
  private volatile Throwable failure;
  // reader side
  private byte[] current;
  private int pos;
  private boolean ended;

  // ---- the owner's side

  @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

  @Override public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, CHUNK - filled);
      System.arraycopy(b, off, chunk, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == CHUNK) flushChunk();
    }
  }

  private void flushChunk() throws IOException {
    if (filled == 0) return;
    byte[] c = filled == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, filled);
    put(c);
    chunk = new byte[CHUNK];
    filled = 0;
  }

  private void put(byte[] c) throws IOException {
    try {
      while (!queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
        if (cancelled) throw new InterruptedIOException("the backup was cut short");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("the backup was cut short");
    }
    if (cancelled) throw new InterruptedIOException("the backup was cut short");
  }

  /** The owner's backup returned: what is buffered goes, then the end. */
  void finish() throws IOException {
    flushChunk();
    put(END);
  }

  /** The owner's backup threw: the engine's next section call throws it. */
  void fail(Throwable t) {
    failure = t;
    queue.offer(END);
  }

  /** Cut short: the owner's next write throws, a waiting reader wakes up to an error. */
  void cancel() {
    cancelled = true;
    failure = new InterruptedIOException("the backup was cut short");
    queue.clear();
    queue.offer(END);
  }

  // ---- the engine's side

  /** Fills {@code buffer} with what is there (waiting for at least one chunk); true at the end. */
  boolean read(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining() && !ended) {
      if (current == null || pos == current.length) {
        byte[] next = current == null || pos == current.length ? queue.poll() : null;
        if (next == null) {
          if (buffer.position() > 0) return false; // give the engine what there is
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
          }
        }
        if (next == END) {
          ended = true;
          if (failure != null) throw new IOException("backup failed: " + failure, failure);
          break;
        }
        current = next;
        pos = 0;
      }
      int n = Math.min(buffer.remaining(), current.length - pos);
      buffer.put(current, pos, n);
      pos += n;
    }
    return ended;
  }
}
