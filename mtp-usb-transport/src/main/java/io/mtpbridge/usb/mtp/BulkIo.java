package io.mtpbridge.usb.mtp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One background thread that moves data-phase buffers to and from the bulk endpoints while the
 * protocol thread fills or drains the other buffer (double buffering): storage I/O and USB I/O
 * overlap, so a transfer runs at the speed of the slower of the two, not of their sum.
 */
final class BulkIo implements AutoCloseable {
  interface Transfer {
    int run() throws IOException;
  }

  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
    Thread t = new Thread(r, "mtp-usb-bulk-io");
    t.setDaemon(true);
    return t;
  });
  private Future<Integer> last;

  Future<Integer> submit(Transfer transfer) {
    last = executor.submit(transfer::run);
    return last;
  }

  /** Waits for the outcome of one submitted transfer, rethrowing its I/O failure. */
  static int await(Future<Integer> future) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true; // the transfer owns a buffer we will reuse: never leave it running
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) throw io;
          if (cause instanceof RuntimeException re) throw re;
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Blocks until nothing submitted is still running (failures are the submitter's business). */
  void awaitIdle() throws InterruptedIOException {
    Future<Integer> f = last;
    if (f == null) return;
    try {
      await(f);
    } catch (IOException | RuntimeException ignored) {
      // reported to whoever submitted it
    }
    if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted");
  }

  /** Transfers submitted and not yet started (for tests: a write queued behind the one on the wire). */
  int queued() { return executor.getQueue().size(); }

  @Override public void close() { executor.shutdownNow(); }
}
