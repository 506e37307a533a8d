package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.client.ModeInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An owner in the engine's JVM. Its callbacks run on a thread of its own so the watchdog can give
 * up on one that hangs; after a timeout that thread is abandoned and a fresh one serves later
 * sessions. Sections are copied in and out so an owner that keeps a buffer past a timeout cannot
 * touch the engine's. The two section buffers are reused from call to call (a backup of an owner
 * is thousands of sections) and replaced only when a callback times out: the abandoned thread
 * may still hold them.
 */
final class InProcessOwnerPort implements OwnerPort {
  private static final Logger log = LoggerFactory.getLogger(InProcessOwnerPort.class);

  private final String ownerId;
  private final ActiveBackupDataClient owner;
  private final java.util.function.Consumer<ModeInfo> modes;
  private volatile ExecutorService thread;
  private volatile boolean open = true;
  private ByteBuffer sectionIn = ByteBuffer.allocate(0);
  private ByteBuffer sectionOut = ByteBuffer.allocate(0);

  InProcessOwnerPort(String ownerId, ActiveBackupDataClient owner, java.util.function.Consumer<ModeInfo> modes) {
    this.ownerId = ownerId;
    this.owner = owner;
    this.modes = modes;
    this.thread = newThread();
  }

  private ExecutorService newThread() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "backup-owner-" + ownerId);
      t.setDaemon(true);
      return t;
    });
  }

  @Override public synchronized Callback.CallResult call(Callback callback, String volume, ByteBuffer input, boolean flag,
      ByteBuffer output, Duration timeout) throws OwnerFailure {
    if (!open) throw new OwnerFailure("owner disconnected", true);
    ByteBuffer in = copyOf(input);
    ByteBuffer out = section(output == null ? 0 : output.remaining());
    Future<Callback.CallResult> f = thread.submit(() -> callback.apply(owner, volume, in, flag, out));
    Callback.CallResult result;
    try {
      result = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      ExecutorService stuck = thread;
      thread = newThread();
      stuck.shutdownNow();
      // The stuck callback may still write into or read from these: the next call gets new ones.
      sectionIn = ByteBuffer.allocate(0);
      sectionOut = ByteBuffer.allocate(0);
      throw new OwnerFailure(callback + " did not return within " + timeout.toMillis() + " ms", false);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new OwnerFailure(callback + " threw " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OwnerFailure("interrupted while waiting for " + callback, false);
    }
    if (output != null && callback.producesData()) {
      out.flip();
      output.put(out);
      output.flip();
    }
    return result;
  }

  /** The engine's input section copied into the reused input buffer, read-only for the owner. */
  private ByteBuffer copyOf(ByteBuffer input) {
    int n = input == null ? 0 : input.remaining();
    if (sectionIn.capacity() < n) sectionIn = ByteBuffer.allocate(n);
    ByteBuffer c = sectionIn.clear();
    if (input != null) c.put(input.duplicate());
    c.flip();
    return c.asReadOnlyBuffer();
  }

  /** The reused output buffer, cleared and limited to {@code n} bytes (what the engine can take). */
  private ByteBuffer section(int n) {
    if (sectionOut.capacity() < n) sectionOut = ByteBuffer.allocate(n);
    return sectionOut.clear().limit(n);
  }

  @Override public void terminate() {
    // On its own thread: the owner's callback thread may be the one that hung.
    Thread t = new Thread(() -> {
      try {
        owner.terminateMultiStageOperation();
      } catch (RuntimeException e) {
        log.warn("owner {} threw from terminateMultiStageOperation", ownerId, e);
      }
    }, "backup-terminate-" + ownerId);
    t.setDaemon(true);
    t.start();
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public void sendMode(ModeInfo info) {
    if (!open || modes == null) return;
    thread.execute(() -> {
      try {
        modes.accept(info);
      } catch (RuntimeException e) {
        log.warn("owner {} threw from its mode listener", ownerId, e);
      }
    });
  }

  @Override public boolean isOpen() { return open; }

  @Override public void close() {
    open = false;
    thread.shutdown();
  }
}
