package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards device-to-host transfers and notices a host that left in the middle of one. A tool
 * killed during a download (or a cable moved to another PC) stops reading, and the next host's
 * first command arrives on the OUT pipe while the device still waits to send. When the protocol
 * thread has been waiting for an IN transfer for a while (a write of its own, or one of the bulk
 * I/O thread it awaits), a watchdog thread reads the OUT pipe: a command there means the
 * transaction was abandoned, so it is wound down like a cancel (the IN pipe is aborted, which ends
 * the blocked write) and the command is served next, instead of the new host timing out and
 * resetting the bus. A transfer that completes while the watchdog is reading takes the read back.
 *
 * <p>Cost per transfer is two uncontended lock operations: the watchdog sleeps on a timer only
 * while transfers run (it is woken at most once per burst of them) and without one while the
 * device is idle, so an idle device uses no CPU.
 */
final class InStallWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InStallWatch.class);
  static final long DEFAULT_STALL_MILLIS = 1000;
  private static final ByteBuffer ZLP = ByteBuffer.allocateDirect(0);

  private final BulkOutEndpoint out;
  private final LinkState state;
  private final Consumer<Command> stash;
  private final long stallNanos;
  /** Started with the first transfer (a device no host ever talks to has no such thread). */
  private Thread watchdog;

  // guarded by this
  private boolean waiting;
  private long waitSeq;
  private long waitStart;
  private int waitTid;
  private int waitMaxPacket;
  /** The transfer the watchdog gave up watching (a cancel or reset is ending it, or it was abandoned). */
  private long givenUpSeq = -1;
  /** When the watchdog wakes up by itself; {@code sleepingIndefinitely} when it does not. */
  private long wakeAt;
  private boolean sleepingIndefinitely;
  private boolean probing;
  private int probeResult;
  private boolean closed;
  private ByteBuffer probeBuffer;

  InStallWatch(BulkOutEndpoint out, LinkState state, Consumer<Command> stash, long stallMillis) {
    this.out = out;
    this.state = state;
    this.stash = stash;
    this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
  }

  /** Writes {@code data} (and a ZLP when {@code zlp}) on the calling thread, watched. */
  void write(BulkInEndpoint in, ByteBuffer data, boolean zlp, int tid, int maxPacket) throws IOException {
    begin(tid, maxPacket);
    try {
      if (data.hasRemaining()) in.write(data);
      if (zlp) in.write(ZLP.duplicate());
    } finally {
      end();
    }
  }

  /** Waits for {@code write} (an IN transfer of transaction {@code tid} on the bulk I/O thread), watched, and rethrows its failure. */
  void await(Future<Integer> write, int tid, int maxPacket) throws IOException {
    begin(tid, maxPacket);
    try {
      BulkIo.await(write);
    } finally {
      end();
    }
  }

  private synchronized void begin(int tid, int maxPacket) {
    if (watchdog == null && !closed) {
      watchdog = new Thread(this::watch, "mtp-usb-stall-watch");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    waiting = true;
    waitSeq++;
    waitStart = System.nanoTime();
    waitTid = tid;
    waitMaxPacket = maxPacket;
    // wake the watchdog only when it would not wake in time by itself (at most once per burst)
    if (sleepingIndefinitely || waitStart + stallNanos - wakeAt < 0) notifyAll();
  }

  /** The transfer is over: a read the watchdog is still doing is taken back, and what it caught is the next command. */
  private void end() {
    int caught;
    ByteBuffer buf;
    synchronized (this) {
      waiting = false;
      if (!probing) return;
      state.abortOutForProbe();
      boolean interrupted = false;
      while (probing) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true; // the probe owns the OUT pipe: never leave it running
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      state.resumeOutAfterProbe();
      caught = probeResult;
      buf = probeBuffer;
    }
    if (caught > 0) {
      // the transfer finished after all; what the probe caught is the next command
      Command next = CommandPackets.decode(buf.flip(), 0, caught, false);
      if (next != null) {
        log.debug("command {} arrived after a slow transfer", next);
        stash.accept(next);
      }
    }
  }

  private void watch() {
    while (true) {
      long seq;
      ByteBuffer buf;
      synchronized (this) {
        try {
          if (closed) return;
          if (!waiting || givenUpSeq == waitSeq) {
            // nothing to watch: sleep without a timer until a transfer starts
            sleepingIndefinitely = true;
            wait();
            sleepingIndefinitely = false;
            continue;
          }
          long deadline = waitStart + stallNanos;
          long left = deadline - System.nanoTime();
          if (left > 0) {
            wakeAt = deadline;
            TimeUnit.NANOSECONDS.timedWait(this, left);
            continue;
          }
        } catch (InterruptedException e) {
          return;
        }
        seq = waitSeq;
        if (probeBuffer == null || probeBuffer.capacity() < waitMaxPacket) probeBuffer = ByteBuffer.allocateDirect(waitMaxPacket);
        buf = probeBuffer;
        buf.clear().limit(waitMaxPacket);
        probing = true;
        log.debug("transfer to the host for transaction {} stalled {} ms: watching the OUT pipe", waitTid, stallNanos / 1_000_000);
      }
      int n;
      try {
        n = out.read(buf);
      } catch (IOException | RuntimeException e) {
        log.debug("OUT pipe probe ended: {}", e.toString());
        n = -1; // aborted: by end(), or by a cancel or reset being handled
      }
      synchronized (this) {
        try {
          probeResult = n;
          if (!waiting || waitSeq != seq) continue; // the transfer ended meanwhile: end() takes what was read
          probeResult = 0;
          if (n < 0) {
            givenUpSeq = seq; // a cancel or reset is ending the transfer
            continue;
          }
          Command next = n == 0 ? null : CommandPackets.decode(buf.flip(), 0, n, false);
          if (next == null) {
            if (n > 0) log.debug("ignoring {} unexpected bytes on the OUT pipe during a data phase to the host", n);
            continue; // a stray ZLP or garbage: watch on
          }
          // Stashed before the protocol thread can get past end(), so it serves this command next.
          log.warn("host abandoned transaction {} while the device was sending; next command {}", waitTid, next);
          stash.accept(next);
          givenUpSeq = seq;
          state.abandonInFlight(waitTid); // aborts the IN pipe: the blocked transfer returns
        } finally {
          probing = false;
          notifyAll();
        }
      }
    }
  }

  @Override public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      notifyAll();
      t = watchdog;
    }
    if (t != null) t.interrupt();
  }
}
