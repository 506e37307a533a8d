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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An owner in another process. A reader thread takes its frames (readiness, results, failures);
 * a call waits for the matching result under the watchdog. Anything off-protocol (bad frame, a
 * result nobody asked for, more data than requested) ends the connection, because the stream
 * cannot be trusted after it.
 */
final class SocketOwnerPort implements OwnerPort {
  private static final Logger log = LoggerFactory.getLogger(SocketOwnerPort.class);

  private final String ownerId;
  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final OwnerDirectory directory;
  private final Object lock = new Object();
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
    try {
      send(new Frame.Call(id, callback.code(), volume == null ? "" : volume, flag, data));
    } catch (IOException e) {
      shut("cannot send to owner: " + e.getMessage());
      throw new OwnerFailure("cannot send to owner: " + e.getMessage(), true);
    }
    Frame answer;
    synchronized (lock) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (pendingAnswer == null && closedReason == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          pendingId = 0;
          throw new OwnerFailure(callback + " did not return within " + timeout.toMillis() + " ms", false);
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

  private void send(Frame f) throws IOException {
    synchronized (out) {
      FrameCodec.write(out, f);
    }
  }

  @Override public void terminate() {
    try {
      send(new Frame.Terminate());
    } catch (IOException e) {
      log.debug("terminate did not reach owner {}: {}", ownerId, e.getMessage());
    }
  }

  @Override public void sendMode(ModeInfo info) {
    try {
      send(new Frame.Mode(info.mode().value(), info.affectsMe(), info.volumes()));
    } catch (IOException e) {
      shut("cannot send mode to owner: " + e.getMessage());
    }
  }

  @Override public boolean isOpen() {
    synchronized (lock) {
      return closedReason == null;
    }
  }

  @Override public void close() { shut("engine closed the connection"); }
}
