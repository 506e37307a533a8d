package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionState;
import io.mtpbridge.backup.protocol.SessionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup or restore session and the engine rules that govern it:
 * <ul>
 * <li>readiness is settled once, right after the session opens ({@link #awaitReadiness}), before
 *   any owner is called or any data phase opens;</li>
 * <li>a backup session may take the previous set's snapshots (increment only, before any data),
 *   then produces its archive once ({@link BackupRun});</li>
 * <li>a restore session takes archives in order (base, then increments, each the child of the one
 *   before), each verified completely before any owner sees a byte, and applies nothing until
 *   {@link #close close(commit)} ({@link RestoreRun}); an abort leaves every owner as it was.</li>
 * </ul>
 * Owners that fail (readiness, watchdog, crash, garbage, throw) are marked failed and get
 * terminateMultiStageOperation(); the rest carry on. Status for the host is in {@link SessionProgress}.
 */
public final class BackupSession {
  private static final Logger log = LoggerFactory.getLogger(BackupSession.class);

  private final BackupEngine engine;
  private final int id;
  private final SessionScope scope;
  private final SessionProgress progress;
  private final OwnerCalls calls;
  /** Held by whatever moves data (snapshots, the archive, a restore, the commit): one at a time. */
  private final ReentrantLock transfer = new ReentrantLock();

  // guarded by transfer
  private boolean readinessSettled;
  private boolean snapshotsSupplied;
  private boolean archiveRead;
  private SnapshotIntake.Snapshots previous;
  private final Set<String> snapshotReceived = new HashSet<>();
  private final RestoreRun restore;
  private Map<String, OwnerOutcome> finalOutcomes;

  BackupSession(BackupEngine engine, int id, SessionScope scope) {
    this.engine = engine;
    this.id = id;
    this.scope = scope;
    this.progress = new SessionProgress(id, scope.participants());
    this.calls = new OwnerCalls(engine, progress);
    this.restore = scope.backup() ? null : new RestoreRun(engine, scope, progress, calls);
  }

  public int id() { return id; }
  public boolean isBackup() { return scope.backup(); }
  public boolean isPartial() { return scope.partial(); }
  public boolean isIncrement() { return scope.increment(); }

  public SessionStatus status() { return progress.status(); }

  public SessionState state() { return progress.state(); }

  // ---------------------------------------------------------------- rules

  private void requireUsable() throws EngineException {
    SessionState s = progress.state();
    if (s == SessionState.ABORTED) throw new EngineException(EngineError.SESSION_ABORTED, "session " + id + " was aborted: " + progress.error());
    if (s == SessionState.CLOSED) throw new EngineException(EngineError.NO_SUCH_SESSION, "session " + id + " is closed");
  }

  /** Throws what {@link #readArchive} would refuse with, before any data phase opens. */
  public void checkReadable() throws EngineException {
    requireUsable();
    if (!scope.backup()) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a restore session");
    transfer.lock();
    try {
      if (archiveRead) throw new EngineException(EngineError.ALREADY_TRANSFERRED, "the archive of session " + id + " was already produced");
    } finally {
      transfer.unlock();
    }
  }

  /** Throws what {@link #writeRestoreArchive} would refuse with up front. */
  public void checkWritable() throws EngineException {
    requireUsable();
    if (scope.backup()) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a backup session");
  }

  // ---------------------------------------------------------------- readiness

  /**
   * Waits until every active owner of the session confirmed readiness, reported an error, or the
   * engine's readiness timeout (at most {@code atMost}) passed, and marks each accordingly. Called
   * when the session opens (OpenBackupSession answers after it; GetSessionStatus then shows each
   * owner ready, not ready or not connected); the data operations call it too, so a session opened
   * through the engine API directly behaves the same. Returns at once once settled, and early
   * when the session is aborted.
   */
  public void awaitReadiness(Duration atMost) throws IOException {
    transfer.lock();
    try {
      settleReadiness(atMost);
    } finally {
      transfer.unlock();
    }
  }

  private void settleReadiness(Duration atMost) throws IOException {
    if (readinessSettled) return;
    List<OwnerRecord> active = scope.active();
    Map<String, String> notReady;
    try {
      notReady = engine.awaitReadiness(this, active, atMost);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for owners to get ready");
    }
    readinessSettled = true;
    for (OwnerRecord r : active) {
      String why = notReady.get(r.id());
      if (why == null) progress.markReady(r);
      else calls.fail(r, why.startsWith("not connected") ? OwnerStatus.NOT_CONNECTED : OwnerStatus.NOT_READY, why, false);
    }
  }

  boolean ended() { return progress.ended(); }

  // ---------------------------------------------------------------- backup

  /**
   * Takes the previous set's snapshots: a tar holding owners/&lt;id&gt;/&lt;volume&gt;/active.snapshot
   * and files.snapshot entries and the previous manifest.json (a whole previous backup.tar does),
   * verified against that manifest ({@link SnapshotIntake}). Active owners receive theirs at once.
   */
  public void supplySnapshots(InputStream in) throws EngineException, IOException {
    transfer.lock();
    try {
      requireUsable();
      if (!scope.backup() || !scope.increment()) throw new EngineException(EngineError.SNAPSHOTS_NOT_EXPECTED, "snapshots belong to incremental backups only");
      if (archiveRead) throw new EngineException(EngineError.SNAPSHOTS_AFTER_DATA, "the archive was already read: snapshots come before data");
      if (snapshotsSupplied) throw new EngineException(EngineError.SNAPSHOTS_NOT_EXPECTED, "snapshots were already supplied");
      snapshotsSupplied = true;
      Set<String> ids = new HashSet<>();
      for (OwnerRecord r : scope.participants()) ids.add(r.id());
      SnapshotIntake.Snapshots snaps = SnapshotIntake.read(in, engine.staging(), ids, scope.volumes());
      try {
        settleReadiness(engine.config().readinessTimeout());
        for (OwnerRecord r : scope.participants()) {
          if (!r.registration.isActive() || !progress.isReady(r) || !r.registration.supportsIncremental()) continue;
          try {
            for (String v : scope.volumesOf(r)) {
              var s = snaps.active().get(SessionScope.key(r, v));
              if (s == null) continue;
              progress.startMulti(r);
              calls.feed(r, Callback.RECEIVE_SNAPSHOT_DATA, v, s);
              snapshotReceived.add(SessionScope.key(r, v));
            }
          } catch (OwnerFailure f) {
            calls.fail(r, OwnerCalls.statusOf(f), f.getMessage(), true);
          }
        }
        previous = snaps;
      } finally {
        snaps.delete();
      }
    } finally {
      transfer.unlock();
    }
  }

  /**
   * Produces this session's archive into {@code out} as it goes. An IOException from {@code out}
   * (host cancel, disconnect) aborts the session: owners in the middle get terminate.
   */
  public Manifest readArchive(OutputStream out) throws EngineException, IOException {
    transfer.lock();
    try {
      requireUsable();
      if (!scope.backup()) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a restore session");
      if (archiveRead) throw new EngineException(EngineError.ALREADY_TRANSFERRED, "the archive of session " + id + " was already produced");
      archiveRead = true;
      progress.setState(SessionState.TRANSFERRING);
      try {
        settleReadiness(engine.config().readinessTimeout());
        Manifest m = new BackupRun(engine, scope, progress, calls, previous, snapshotReceived).write(out);
        progress.setState(SessionState.TRANSFERRED);
        return m;
      } catch (IOException | RuntimeException | Error e) {
        abort("archive transfer cut short: " + e);
        throw e;
      }
    } finally {
      transfer.unlock();
    }
  }

  // ---------------------------------------------------------------- restore

  /** What one restore archive did for each owner: verified and staged, or why not. Nothing is applied before commit. */
  public record RestoreReport(String setId, Map<String, OwnerOutcome> outcomes) {
    public RestoreReport { outcomes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outcomes)); }

    /** True when every owner's part went through. */
    public boolean allOk() {
      for (OwnerOutcome o : outcomes.values()) if (!o.ok()) return false;
      return true;
    }

    /** Owners whose data was taken (to be applied at commit). */
    public int accepted() {
      int n = 0;
      for (OwnerOutcome o : outcomes.values()) if (o.ok()) n++;
      return n;
    }
  }

  /**
   * Verifies one archive completely (spooled to staging), checks the restore order, then hands
   * each owner its data: active owners receive it (to keep aside until restoreComplete), passive
   * owners' files are staged in hidden temporary files. Nothing is applied until commit; a
   * corrupt, truncated or tampered archive hands over nothing.
   */
  public RestoreReport writeRestoreArchive(InputStream in) throws EngineException, IOException {
    transfer.lock();
    try {
      requireUsable();
      if (scope.backup()) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a backup session");
      progress.setState(SessionState.TRANSFERRING);
      VerifiedArchive archive;
      try {
        archive = ArchiveReader.read(in, engine.staging());
      } catch (ArchiveException bad) {
        progress.setState(restore.archivesTaken() == 0 ? SessionState.OPEN : SessionState.TRANSFERRED);
        progress.setError(bad.getMessage());
        throw new EngineException(EngineError.ARCHIVE_INVALID, bad.getMessage());
      } catch (Staging.StagingFullException full) {
        progress.setState(restore.archivesTaken() == 0 ? SessionState.OPEN : SessionState.TRANSFERRED);
        throw new EngineException(EngineError.STORE_FULL, full.getMessage());
      } catch (IOException cut) {
        abort("restore transfer cut short: " + cut.getMessage());
        throw cut;
      }
      try (archive) {
        restore.checkOrder(archive.manifest());
        settleReadiness(engine.config().readinessTimeout());
        Map<String, OwnerOutcome> outcomes = restore.take(archive);
        progress.setState(SessionState.TRANSFERRED);
        return new RestoreReport(archive.manifest().setId(), outcomes);
      } catch (EngineException refused) {
        progress.setState(restore.archivesTaken() == 0 ? SessionState.OPEN : SessionState.TRANSFERRED);
        throw refused;
      } catch (RuntimeException | Error bug) {
        // Whatever went wrong, the session must not stay TRANSFERRING with the engine out of normal.
        abort("restore failed: " + bug);
        throw bug;
      }
    } finally {
      discardIfEnded();
      transfer.unlock();
    }
  }

  /** After an abort that came while data moved: the staged files go now. */
  private void discardIfEnded() {
    if (restore != null && progress.state() == SessionState.ABORTED) restore.discard();
  }

  /**
   * The outcome of every owner of a restore session after {@code close(commit)}: restored, partial,
   * failed (with nothing applied) or failed after its data was applied, or skipped. Null before.
   */
  public Map<String, OwnerOutcome> restoreOutcomes() {
    transfer.lock();
    try {
      return finalOutcomes;
    } finally {
      transfer.unlock();
    }
  }

  // ---------------------------------------------------------------- ending

  /**
   * Ends the session. Commit: a restore applies everything now ({@link RestoreRun#commit}): passive
   * files put in place owner by owner, restoreComplete and the checksum check for active owners.
   * Abort: nothing is applied. Back to normal either way. Returns the final status, where owners
   * that failed while completing show up.
   */
  public SessionStatus close(boolean commit) throws EngineException {
    if (!commit) {
      abort("aborted by the host");
      markClosed();
      return status();
    }
    transfer.lock();
    try {
      SessionState s = progress.state();
      if (s == SessionState.CLOSED) throw new EngineException(EngineError.NO_SUCH_SESSION, "session " + id + " is closed");
      if (s == SessionState.ABORTED) {
        markClosed();
        throw new EngineException(EngineError.SESSION_ABORTED, "session " + id + " was aborted: " + progress.error());
      }
      if (restore != null) {
        finalOutcomes = java.util.Collections.unmodifiableMap(restore.commit());
        log.info("restore session {} committed: {}", id, finalOutcomes);
      }
      markClosed();
      return status();
    } finally {
      transfer.unlock();
    }
  }

  private void markClosed() {
    progress.close();
    engine.sessionEnded(this);
  }

  /**
   * Cuts the session short (host cancel, USB disconnect or reset, abort outcome, engine shutdown).
   * Every owner in the middle of a multi-stage operation gets terminateMultiStageOperation();
   * staged restore files are removed. Safe to call from any thread, and more than once.
   */
  public void abort(String reason) {
    List<OwnerRecord> toTerminate = progress.abort(reason);
    if (toTerminate == null) return;
    if (restore != null) {
      for (OwnerRecord r : restore.activeOwnersWithData()) if (!toTerminate.contains(r)) toTerminate.add(r);
    }
    log.warn("backup session {} aborted: {}", id, reason);
    for (OwnerRecord r : toTerminate) calls.terminate(r);
    // Staged files are removed here unless data is moving on another thread right now: then that
    // thread removes them as it leaves (it sees the abort at its next step).
    if (restore != null && transfer.tryLock()) {
      try {
        restore.discard();
      } finally {
        transfer.unlock();
      }
    }
    engine.sessionEnded(this);
  }
}
