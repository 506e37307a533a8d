package io.mtpbridge.host.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the bytes of a download to a reader on another thread (the archive verifier) through a
 * few copied chunks, with back-pressure: the USB thread never waits for more than {@code depth}
 * chunks to be taken, and memory stays at depth × chunk size.
 */
final class ChunkPipe {
  private static final byte[] END = new byte[0];
  private final BlockingQueue<byte[]> queue;
  private volatile boolean readerGone;

  ChunkPipe(int depth) {
    queue = new ArrayBlockingQueue<>(depth);
  }

  /** Copies {@code src}'s remaining bytes in; returns false (dropping them) once the reader gave up. */
  boolean put(ByteBuffer src) throws InterruptedIOException {
    byte[] chunk = new byte[src.remaining()];
    src.get(chunk);
    if (chunk.length == 0) return !readerGone;
    try {
      while (!readerGone) {
        if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing archive bytes to the verifier");
    }
  }

  /** No more bytes: the reader sees the end of the stream. */
  void close() throws InterruptedIOException {
    try {
      while (!readerGone) {
        if (queue.offer(END, 100, TimeUnit.MILLISECONDS)) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while ending the archive stream");
    }
  }

  /** The reader's side; closing it tells the writer to drop what follows. */
  InputStream input() {
    return new InputStream() {
      private byte[] current = new byte[0];
      private int pos;
      private boolean ended;

      private boolean fill() throws IOException {
        if (ended) return false;
        while (pos == current.length) {
          try {
            byte[] next = queue.take();
            if (next == END) {
              ended = true;
              return false;
            }
            current = next;
            pos = 0;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the archive");
          }
        }
        return true;
      }

      @Override public int read() throws IOException {
        if (!fill()) return -1;
        return current[pos++] & 0xFF;
      }

      @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
      }

      @Override public void close() {
        readerGone = true;
        queue.clear();
      }
    };
  }
}
