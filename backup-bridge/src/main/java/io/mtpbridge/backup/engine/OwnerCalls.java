package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.Spool;
import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.protocol.OwnerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Calls to active owners on behalf of one session: every call under the owner's watchdog, data
 * handed over and taken back in sections, and failing an owner (status, error, terminate).
 */
final class OwnerCalls {
  private static final int MAX_EMPTY_SECTIONS = 10_000;

  private final BackupEngine engine;
  private final SessionProgress progress;

  OwnerCalls(BackupEngine engine, SessionProgress progress) {
    this.engine = engine;
    this.progress = progress;
  }

  /** One call under the owner's callback watchdog. From its first call the owner is mid-operation. */
  Callback.CallResult call(OwnerRecord r, Callback cb, String volume, ByteBuffer in, boolean flag, ByteBuffer out)
      throws OwnerFailure {
    if (progress.ended()) throw new OwnerFailure("session aborted", false);
    progress.startMulti(r);
    OwnerPort port = engine.portOf(r);
    if (port == null) throw new OwnerFailure("owner disconnected", true);
    Duration timeout = r.registration.active().orElseThrow().callbackTimeout();
    return port.call(cb, volume, in, flag, out, timeout);
  }

  /**
   * The owner's data checksum for {@code volume}, or null when it keeps none (an owner that does
   * not implement it: that is no failure, there is just nothing to compare).
   */
  Long checksum(OwnerRecord r, String volume) throws OwnerFailure {
    Callback.CallResult res = call(r, Callback.GET_DATA_CHECKSUM, volume, null, false, null);
    return res.finished() ? null : res.value();
  }

  /** Sends a spooled stream to the owner in sections, the last one flagged. */
  void feed(OwnerRecord r, Callback cb, String volume, Spool s) throws OwnerFailure, IOException {
    byte[] a = new byte[Callback.MAX_SECTION];
    byte[] b = new byte[Callback.MAX_SECTION];
    try (InputStream in = s.openInput()) {
      int n = in.readNBytes(a, 0, a.length);
      while (true) {
        int m = n == a.length ? in.readNBytes(b, 0, b.length) : 0;
        boolean last = m == 0;
        call(r, cb, volume, ByteBuffer.wrap(a, 0, n), last, null);
        progress.addDone(r, n);
        if (last) return;
        byte[] t = a;
        a = b;
        b = t;
        n = m;
      }
    }
  }

  /** Takes a stream from the owner in sections until it says finished, into {@code into}. */
  void pump(OwnerRecord r, Callback cb, String volume, Spool into, boolean countProgress) throws OwnerFailure, IOException {
    ByteBuffer buf = ByteBuffer.allocate(Callback.MAX_SECTION);
    int empty = 0;
    while (true) {
      buf.clear();
      Callback.CallResult res = call(r, cb, volume, null, false, buf);
      int n = buf.remaining();
      into.write(buf);
      if (countProgress) progress.addDone(r, n);
      if (res.finished()) break;
      if (n == 0 && ++empty > MAX_EMPTY_SECTIONS) throw new OwnerFailure(cb + " returned " + MAX_EMPTY_SECTIONS + " empty sections without finishing", false);
      if (n > 0) empty = 0;
    }
    into.finish();
  }

  /** Marks an owner failed for this session; terminates its multi-stage operation if one was running. */
  void fail(OwnerRecord r, OwnerStatus status, String why, boolean terminate) {
    boolean wasMid = progress.markFailed(r, status, why);
    engine.recordFailure(r, why);
    if (terminate || wasMid) terminate(r);
  }

  /** The failure status an OwnerFailure stands for. */
  static OwnerStatus statusOf(OwnerFailure f) { return f.connectionLost() ? OwnerStatus.NOT_CONNECTED : OwnerStatus.FAILED; }

  void terminate(OwnerRecord r) {
    OwnerPort port = engine.portOf(r);
    if (port != null) port.terminate();
  }
}
