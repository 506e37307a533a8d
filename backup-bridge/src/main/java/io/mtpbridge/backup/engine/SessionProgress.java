package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionState;
import io.mtpbridge.backup.protocol.SessionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What GetSessionStatus shows of one session: its state and error, and per owner its status,
 * error, bytes done and expected; plus which owners are inside a multi-stage operation (they get
 * terminateMultiStageOperation() when the session is cut short). Every method is short and takes
 * only this object's lock, so the host's status polls never wait for a transfer.
 */
final class SessionProgress {
  private final int sessionId;
  private SessionState state = SessionState.OPEN;
  private String error;
  private final Map<String, Owner> owners = new LinkedHashMap<>();
  private final Set<OwnerRecord> midOperation = new LinkedHashSet<>();

  private static final class Owner {
    OwnerStatus status;
    String error;
    long done;
    long expected;

    Owner(OwnerStatus status) { this.status = status; }
  }

  /** Active owners start NotReady until they confirm; passive ones are ready at once. */
  SessionProgress(int sessionId, List<OwnerRecord> participants) {
    this.sessionId = sessionId;
    for (OwnerRecord r : participants) owners.put(r.id(), new Owner(r.registration.isActive() ? OwnerStatus.NOT_READY : OwnerStatus.READY));
  }

  synchronized SessionStatus status() {
    List<SessionStatus.Owner> out = new ArrayList<>();
    for (Map.Entry<String, Owner> e : owners.entrySet()) {
      Owner o = e.getValue();
      out.add(new SessionStatus.Owner(e.getKey(), o.status, o.error, o.done, o.expected));
    }
    return new SessionStatus(sessionId, state, error, out);
  }

  synchronized SessionState state() { return state; }

  synchronized String error() { return error; }

  synchronized void setError(String why) { error = why; }

  /** True once the session was aborted or closed: no owner is called any more. */
  synchronized boolean ended() { return state == SessionState.ABORTED || state == SessionState.CLOSED; }

  /** Moves to {@code s} unless the session already ended. */
  synchronized void setState(SessionState s) {
    if (!ended()) state = s;
  }

  synchronized boolean isReady(OwnerRecord r) { return owners.get(r.id()).status == OwnerStatus.READY; }

  synchronized OwnerStatus statusOf(OwnerRecord r) { return owners.get(r.id()).status; }

  synchronized String errorOf(OwnerRecord r) { return owners.get(r.id()).error; }

  synchronized void markReady(OwnerRecord r) {
    Owner o = owners.get(r.id());
    o.status = OwnerStatus.READY;
    o.error = null;
  }

  /** Marks {@code r} failed; true when it was inside a multi-stage operation (it must be terminated). */
  synchronized boolean markFailed(OwnerRecord r, OwnerStatus status, String why) {
    Owner o = owners.get(r.id());
    o.status = status;
    o.error = why;
    return midOperation.remove(r);
  }

  synchronized void startMulti(OwnerRecord r) { midOperation.add(r); }

  synchronized void endMulti(OwnerRecord r) { midOperation.remove(r); }

  synchronized void addDone(OwnerRecord r, long n) { owners.get(r.id()).done += n; }

  synchronized void addExpected(OwnerRecord r, long n) { owners.get(r.id()).expected += n; }

  /**
   * Ends the session as aborted with {@code reason}; returns the owners that were inside a
   * multi-stage operation, or null when it had ended already.
   */
  synchronized List<OwnerRecord> abort(String reason) {
    if (ended()) return null;
    state = SessionState.ABORTED;
    error = reason;
    List<OwnerRecord> mid = new ArrayList<>(midOperation);
    midOperation.clear();
    return mid;
  }

  /** Ends the session as closed (an aborted one stays aborted). */
  synchronized void close() {
    if (state != SessionState.ABORTED) state = SessionState.CLOSED;
    midOperation.clear();
  }
}
