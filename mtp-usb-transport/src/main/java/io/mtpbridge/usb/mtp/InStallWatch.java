package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for device-to-host transfers and notices a host that left in the middle of one. A tool
 * killed during a download (or a cable moved to another PC) stops reading, and the next host's
 * first command arrives on the OUT pipe while the device still waits to send. When an IN transfer
 * has been stuck for a while, this watches the OUT pipe: a command there means the transaction
 * was abandoned, so it is wound down like a cancel and the command is served next, instead of
 * the new host timing out and resetting the bus.
 */
final class InStallWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InStallWatch.class);
  static final long DEFAULT_STALL_MILLIS = 1000;
  private static final long POLL_MILLIS = 20;

  private final BulkOutEndpoint out;
  private final LinkState state;
  private final Consumer<Command> stash;
  private final long stallMillis;
  private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mtp-usb-out-probe");
    t.setDaemon(true);
    return t;
  });
  private ByteBuffer probeBuffer;

  InStallWatch(BulkOutEndpoint out, LinkState state, Consumer<Command> stash, long stallMillis) {
    this.out = out;
    this.state = state;
    this.stash = stash;
    this.stallMillis = stallMillis;
  }

  /** Waits for {@code write} (an IN transfer of transaction {@code tid}) and rethrows its failure. */
  void await(Future<Integer> write, int tid, int maxPacket) throws IOException {
    try {
      write.get(stallMillis, TimeUnit.MILLISECONDS);
      return;
    } catch (TimeoutException stalled) {
      watch(write, tid, maxPacket);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // reported by BulkIo.await below
    }
    BulkIo.await(write);
  }

  private void watch(Future<Integer> write, int tid, int maxPacket) throws IOException {
    if (probeBuffer == null || probeBuffer.capacity() < maxPacket) probeBuffer = ByteBuffer.allocateDirect(maxPacket);
    ByteBuffer buf = probeBuffer;
    log.debug("transfer to the host for transaction {} stalled {} ms: watching the OUT pipe", tid, stallMillis);
    while (!write.isDone()) {
      buf.clear().limit(maxPacket);
      Future<Integer> probe = probes.submit(() -> out.read(buf));
      while (!write.isDone() && !probe.isDone()) sleep();
      if (write.isDone()) {
        // the transfer finished after all (what the probe caught, if anything, is the next command)
        if (!probe.isDone()) state.abortOutForProbe();
        Integer n = outcome(probe);
        state.resumeOutAfterProbe();
        if (n != null && n > 0) keepCommand(buf, n, "after a slow transfer");
        return;
      }
      Integer n = outcome(probe);
      log.debug("OUT pipe probe during transaction {}: {}", tid, n == null ? "aborted" : n + " bytes");
      if (n == null) return; // the pipe was aborted: a cancel or reset is being handled
      if (n == 0) continue;  // a stray ZLP
      Command next = CommandPackets.decode(buf.flip(), 0, n, false);
      if (next == null) {
        log.debug("ignoring {} unexpected bytes on the OUT pipe during a data phase to the host", n);
        continue;
      }
      log.warn("host abandoned transaction {} while the device was sending; next command {}", tid, next);
      stash.accept(next);
      state.abandonInFlight(tid);
      return;
    }
  }

  private void keepCommand(ByteBuffer buf, int n, String when) {
    Command next = CommandPackets.decode(buf.flip(), 0, n, false);
    if (next != null) {
      log.debug("command {} arrived {}", next, when);
      stash.accept(next);
    }
  }

  private static Integer outcome(Future<Integer> probe) {
    try {
      return probe.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      log.debug("OUT pipe probe ended: {}", e.getCause().toString());
      return null;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public void close() { probes.shutdownNow(); }
}
