package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.core.transport.TransportClosedException;
import io.mtpbridge.core.transport.TransportResetException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the control thread (lifecycle events, class requests) and the protocol
 * thread (commands, data phases, responses) meet. The control thread only records what happened
 * and aborts the bulk endpoints; the protocol thread notices, throws the matching exception to the
 * responder exactly once, and resumes the endpoints when it is back at a command boundary. Doing
 * the resume on the protocol thread is what keeps a blocked transfer of an old connection from
 * ever running on the next one.
 */
final class LinkState {
  private static final Logger log = LoggerFactory.getLogger(LinkState.class);

  enum Phase { IDLE, TRANSACTION, DATA_OUT, DATA_IN }

  /** Aborts and resumes the bulk pipes; called with this object's lock held, so it must be quick. */
  interface BulkPipes {
    void abort();
    void resume();
    void abortOut();
    void resumeOut();
  }

  private final BulkPipes pipes;

  private boolean enabled;
  private int maxPacket;
  private boolean closed;
  /** Bumped by every disconnect, disable, unbind and device reset. */
  private long generation;
  /** The generation the protocol thread last reported to the responder. */
  private long seenGeneration;
  private boolean pipesAborted;

  private Phase phase = Phase.IDLE;
  private int phaseTid;
  private boolean cancelPending;
  private int cancelTid;
  /** True when the "cancel" is our own decision (the host abandoned the transaction): no status change. */
  private boolean cancelQuiet;
  /**
   * A Cancel for a transaction the protocol thread has not picked up yet: the host sent the
   * command and at once the Cancel, which can overtake the command on its way through our threads.
   * It applies to the next transaction only if that one has this id.
   */
  private int earlyCancelTid;
  private boolean earlyCancel;
  private DeviceStatus status = DeviceStatus.OK;

  LinkState(BulkPipes pipes) { this.pipes = pipes; }

  // ---- control thread ----

  synchronized void enable(int bulkMaxPacket) {
    if (enabled) newConnection("enabled again without a disable");
    enabled = true;
    maxPacket = bulkMaxPacket;
    notifyAll();
  }

  synchronized void disconnect(String why) {
    enabled = false;
    newConnection(why);
    notifyAll();
  }

  synchronized void deviceReset() { newConnection("Device Reset class request"); notifyAll(); }

  private void newConnection(String why) {
    log.info("USB link reset: {}", why);
    generation++;
    cancelPending = false;
    earlyCancel = false;
    status = DeviceStatus.OK;
    abortPipes();
  }

  /**
   * Class request Cancel for {@code tid}. Aborts the data phase in flight when {@code tid} is the
   * transaction being served; a repeated cancel, or one for a transaction that is over, changes
   * nothing. A cancel for another transaction is most likely for the one whose command is on its
   * way (sent just before the Cancel, which overtook it through our threads): it is kept for the
   * next command, and dropped if that one has another id. Nothing is aborted then: no transfer of
   * that transaction has started, and the host's next command may already be in the pipe.
   */
  synchronized void cancel(int tid) {
    if (cancelPending && cancelTid == tid) {
      log.debug("repeated cancel for transaction {}", tid);
      return;
    }
    if (phase != Phase.IDLE && phaseTid == tid) {
      log.info("host cancelled transaction {} during {}", tid, phase);
      startCancel(tid, true);
      return;
    }
    if (phase == Phase.IDLE && phaseTid == tid) {
      log.info("cancel for transaction {} ignored: it is over", tid);
      return;
    }
    log.info("cancel for transaction {} before its command was picked up (current {} {})", tid, phase, phaseTid);
    earlyCancel = true;
    earlyCancelTid = tid;
  }

  private void startCancel(int tid, boolean abortTransfers) {
    cancelPending = true;
    cancelTid = tid;
    cancelQuiet = false;
    status = DeviceStatus.DEVICE_BUSY;
    if (abortTransfers) abortPipes();
  }

  /** Get Device Status: Transaction Cancelled is reported once, then OK. */
  synchronized DeviceStatus pollStatus() {
    DeviceStatus s = status;
    if (s == DeviceStatus.TRANSACTION_CANCELLED) status = DeviceStatus.OK;
    return s;
  }

  synchronized void close() {
    closed = true;
    abortPipes();
    notifyAll();
  }

  private void abortPipes() {
    pipesAborted = true;
    pipes.abort();
  }

  // ---- protocol thread ----

  /**
   * Called at every command boundary: reports a pending reset once, completes a processed cancel,
   * waits for an enabled configuration, resumes the pipes. Returns the negotiated bulk packet size.
   * The caller must have waited for any background transfer of the previous phase to finish.
   */
  synchronized int awaitCommandBoundary() throws IOException {
    phase = Phase.IDLE;
    if (cancelPending) {
      cancelPending = false;
      if (!cancelQuiet) status = DeviceStatus.TRANSACTION_CANCELLED;
    }
    throwIfClosedOrReset();
    while (!enabled) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransportClosedException("interrupted while waiting for the host");
      }
      throwIfClosedOrReset();
    }
    if (pipesAborted) {
      pipes.resume();
      pipesAborted = false;
    }
    return maxPacket;
  }

  synchronized void beginTransaction(int tid) {
    phase = Phase.TRANSACTION;
    phaseTid = tid;
    if (earlyCancel) {
      earlyCancel = false;
      if (earlyCancelTid == tid && !cancelPending) {
        // nothing of it is on the wire yet: its first transfer sees the cancel
        log.info("transaction {} was cancelled before it was picked up", tid);
        startCancel(tid, false);
      }
    }
  }

  /** Enters a data phase, or throws if the transaction was cancelled or the link went away. */
  synchronized int beginData(Phase dataPhase, int tid) throws IOException {
    checkTransaction(tid);
    phase = dataPhase;
    phaseTid = tid;
    return maxPacket;
  }

  /** The response is out: a cancel arriving from now on is for a finished transaction. */
  synchronized void endTransaction(int tid) {
    if (phaseTid == tid) phase = Phase.IDLE;
  }

  synchronized void endData() {
    if (phase == Phase.DATA_IN || phase == Phase.DATA_OUT) phase = Phase.TRANSACTION;
  }

  /** Throws the exception the responder must see for {@code tid} now, if any. */
  synchronized void checkTransaction(int tid) throws IOException {
    throwIfClosedOrReset();
    if (cancelPending && cancelTid == tid) throw new TransactionCancelledException(tid);
  }

  synchronized boolean isCancelled(int tid) { return cancelPending && cancelTid == tid; }

  /**
   * The host left while the device was sending for {@code tid}: wind it down like a cancel,
   * silently, and abort the pipes so the blocked transfer returns.
   */
  synchronized void abandonInFlight(int tid) {
    if (cancelPending) return;
    cancelPending = true;
    cancelTid = tid;
    cancelQuiet = true;
    abortPipes();
  }

  /** Takes back a probing read of the OUT pipe (not a cancel: the pipes stay usable). */
  synchronized void abortOutForProbe() { pipes.abortOut(); }

  /** Undoes {@link #abortOutForProbe()}, unless a real abort happened meanwhile (then the protocol thread resumes later). */
  synchronized void resumeOutAfterProbe() {
    if (!pipesAborted) pipes.resumeOut();
  }

  /** The host gave up on {@code tid} and started something new: wind it down like a cancel, silently. */
  synchronized void abandon(int tid) {
    if (cancelPending) return;
    cancelPending = true;
    cancelTid = tid;
    cancelQuiet = true;
  }

  /**
   * Maps a failed transfer of transaction {@code tid} (or of the idle pipe when {@code tid} is
   * null) to what the responder must see.
   */
  synchronized IOException explain(IOException failure, Integer tid) {
    if (closed) return withCause(new TransportClosedException("transport closed"), failure);
    if (generation != seenGeneration) {
      seenGeneration = generation;
      return withCause(new TransportResetException("USB link reset (disconnect, disable or Device Reset)"), failure);
    }
    if (tid != null && cancelPending && cancelTid == tid) return withCause(new TransactionCancelledException(tid), failure);
    if (failure instanceof TransactionCancelledException || failure instanceof TransportResetException
        || failure instanceof TransportClosedException) {
      return failure;
    }
    return withCause(new TransportResetException("USB transfer failed: " + failure.getMessage()), failure);
  }

  private void throwIfClosedOrReset() throws IOException {
    if (closed) throw new TransportClosedException("transport closed");
    if (generation != seenGeneration) {
      seenGeneration = generation;
      throw new TransportResetException("USB link reset (disconnect, disable or Device Reset)");
    }
  }

  private static IOException withCause(IOException e, IOException cause) {
    if (cause != e) e.initCause(cause);
    return e;
  }
}
