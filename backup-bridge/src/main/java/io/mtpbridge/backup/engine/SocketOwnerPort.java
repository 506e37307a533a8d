package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.client.ModeInfo;
import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An owner in another process. A reader thread takes its frames (readiness, results, failures);
 * a call waits for the matching result under the watchdog. Anything off-protocol (bad frame, a
 * result nobody asked for, more data than requested) ends the connection, because the stream
 * cannot be trusted after it.
 *
 * <p>An owner passed the uid check but may still stop reading its socket (frozen, SIGSTOPped), so
 * no caller ever writes to the socket itself: frames go through this port's own writer thread,
 * each write under a deadline after which the connection is closed (which ends a blocked write).
 * Mode changes and terminate are queued and return at once, so a mode broadcast never blocks the
 * responder's thread; a call waits for its write and its answer together under its watchdog, and
 * an expired watchdog closes the connection too, since the owner's state is unknown after it.
 */
final class SocketOwnerPort implements OwnerPort {
  private static final Logger log = LoggerFactory.getLogger(SocketOwnerPort.class);

  private final String ownerId;
  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final OwnerDirectory directory;
  private final Object lock = new Object();
  /** How long queued writes (mode, terminate) may take before the owner counts as stuck. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
  /** Frames waiting for the writer thread before the owner counts as stuck. */
  private static final int MAX_QUEUED = 64;
  private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "backup-owner-write-deadline");
    t.setDaemon(true);
    return t;
  });
  private final ThreadPoolExecutor writer;
  private int nextCallId = 1;
  private int pendingId;
  private Frame pendingAnswer;
  private String closedReason;

  SocketOwnerPort(String ownerId, SocketChannel channel, InputStream in, OwnerDirectory directory) {
    this.ownerId = ownerId;
    this.channel = channel;
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
    this.out = new BufferedOutputStream(io.mtpbridge.backup.client.wire.SocketStreams.out(channel), 1 << 16);
    this.directory = directory;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
      Thread t = new Thread(r, "backup-owner-writer-" + ownerId);
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    Thread t = new Thread(this::readLoop, "backup-owner-socket-" + ownerId);
    t.setDaemon(true);
    t.start();
  }

  private void readLoop() {
    String reason = "owner closed the connection";
    try {
      Frame f;
      while ((f = FrameCodec.read(in)) != null) {
        if (f instanceof Frame.Ready r) {
          directory.ready(ownerId, this, r.error());
        } else if (f instanceof Frame.Result r) {
          answer(r.callId(), r);
        } else if (f instanceof Frame.Failed r) {
          answer(r.callId(), r);
        } else {
          throw new IOException("owner sent an unexpected " + f.getClass().getSimpleName() + " frame");
        }
      }
    } catch (IOException e) {
      reason = "owner connection failed: " + e.getMessage();
    }
    shut(reason);
  }

  private void answer(int callId, Frame f) throws IOException {
    synchronized (lock) {
      if (callId == pendingId && pendingAnswer == null) {
        pendingAnswer = f;
        lock.notifyAll();
      } else if (callId <= 0 || callId >= nextCallId) {
        throw new IOException("owner answered call " + callId + ", which was never made");
      } else {
        log.info("owner {} answered call {} after its watchdog expired; dropped", ownerId, callId);
      }
    }
  }

  private void shut(String reason) {
    synchronized (lock) {
      if (closedReason != null) return;
      closedReason = reason;
      lock.notifyAll();
    }
    writer.shutdownNow();
    try {
      channel.close();
    } catch (IOException ignored) {
      // already gone
    }
    directory.lost(ownerId, this, reason);
  }

  @Override public Callback.CallResult call(Callback callback, String volume, ByteBuffer input, boolean flag,
      ByteBuffer output, Duration timeout) throws OwnerFailure {
    byte[] data = new byte[input == null ? 0 : input.remaining()];
    if (input != null) input.duplicate().get(data);
    int id;
    synchronized (lock) {
      if (closedReason != null) throw new OwnerFailure(closedReason, true);
      id = nextCallId++;
      pendingId = id;
      pendingAnswer = null;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Future<?> sent;
    try {
      sent = enqueue(new Frame.Call(id, callback.code(), volume == null ? "" : volume, flag, data), timeout);
    } catch (IOException e) {
      throw new OwnerFailure("cannot send to owner: " + e.getMessage(), true);
    }
    Frame answer;
    synchronized (lock) {
      while (pendingAnswer == null && closedReason == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          pendingId = 0;
          String why = callback + " did not return within " + timeout.toMillis() + " ms";
          // The owner may still be inside the call, or never read it: its state is unknown, so
          // the connection ends here (outside this lock); it must connect again.
          DEADLINES.execute(() -> shut("watchdog expired: " + why));
          sent.cancel(true);
          throw new OwnerFailure(why + " (connection closed)", false);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OwnerFailure("interrupted while waiting for " + callback, false);
        }
      }
      if (pendingAnswer == null) throw new OwnerFailure(closedReason + " during " + callback, true);
      answer = pendingAnswer;
      pendingId = 0;
      pendingAnswer = null;
    }
    if (answer instanceof Frame.Failed failed) throw new OwnerFailure(callback + " failed in the owner: " + failed.message(), false);
    Frame.Result r = (Frame.Result) answer;
    if (callback.producesData()) {
      if (output == null || r.data().length > output.remaining()) {
        shut("owner returned " + r.data().length + " bytes for a section of " + (output == null ? 0 : output.remaining()));
        throw new OwnerFailure("owner returned more data than the section holds (garbage)", true);
      }
      output.put(r.data());
      output.flip();
    } else if (r.data().length != 0) {
      shut("owner returned data for " + callback);
      throw new OwnerFailure("owner returned data for " + callback + " (garbage)", true);
    }
    return new Callback.CallResult(r.finished(), r.value());
  }

  /**
   * Queues {@code f} for the writer thread, which writes it under a deadline of {@code timeout}:
   * a write still blocked then closes the connection. Throws when the connection is closed or the
   * queue is full (the owner has not read for a long time).
   */
  private Future<?> enqueue(Frame f, Duration timeout) throws IOException {
    synchronized (lock) {
      if (closedReason != null) throw new IOException(closedReason);
    }
    try {
      return writer.submit(() -> {
        ScheduledFuture<?> expiry = DEADLINES.schedule(
            () -> shut("a write to the owner blocked for " + timeout.toMillis() + " ms (it stopped reading)"),
            timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
          FrameCodec.write(out, f);
        } catch (IOException e) {
          shut("cannot send to owner: " + e.getMessage());
        } finally {
          expiry.cancel(false);
        }
      });
    } catch (RejectedExecutionException full) {
      shut("owner reads nothing: " + MAX_QUEUED + " frames wait for it");
      throw new IOException("owner reads nothing", full);
    }
  }

  @Override public void terminate() {
    try {
      enqueue(new Frame.Terminate(), WRITE_TIMEOUT);
    } catch (IOException e) {
      log.debug("terminate did not reach owner {}: {}", ownerId, e.getMessage());
    }
  }

  @Override public void sendMode(ModeInfo info) {
    try {
      enqueue(new Frame.Mode(info.mode().value(), info.affectsMe(), info.volumes()), WRITE_TIMEOUT);
    } catch (IOException e) {
      log.debug("mode did not reach owner {}: {}", ownerId, e.getMessage());
    }
  }

  @Override public boolean isOpen() {
    synchronized (lock) {
      return closedReason == null;
    }
  }

  @Override public void close() { shut("engine closed the connection"); }
}
