package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.client.BurMode;
import io.mtpbridge.backup.client.InProcessEngine;
import io.mtpbridge.backup.client.ModeInfo;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.registration.Registration;
import io.mtpbridge.backup.registration.RegistrationException;
import io.mtpbridge.backup.registration.RegistrationLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Backup Engine: knows the registered owners and their connections, holds the system-wide
 * mode and broadcasts every change, and runs at most one {@link BackupSession} at a time (backup
 * and restore switch only through normal mode). It knows nothing of MTP or USB.
 */
public final class BackupEngine implements InProcessEngine, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupEngine.class);

  private final EngineConfig config;
  private final Staging staging;
  private final Map<String, OwnerRecord> owners = new LinkedHashMap<>();
  private final List<RegistrationException> problems;
  private final AtomicInteger sessionIds = new AtomicInteger();
  private final OwnerSocketServer socketServer;
  private BurMode mode = BurMode.NORMAL_MODE;
  private BackupSession session;
  private Set<String> affected = Set.of();
  private Set<String> sessionVolumes = Set.of();
  /** Characters of passive file names one backup set may hold: {@link BackupRun#NAME_CHARS_FOR_FILES}, less only in tests. */
  private volatile int nameCharsForFiles = BackupRun.NAME_CHARS_FOR_FILES;

  private BackupEngine(EngineConfig config) throws IOException {
    this.config = config;
    this.staging = new Staging(config.stagingDirectory(), config.stagingLimit());
    RegistrationLoader.Result loaded = RegistrationLoader.load(config.registrationDirectory(), config.volumes().keySet());
    this.problems = loaded.problems();
    for (RegistrationException p : problems) log.error("registration left out: {}", p.getMessage());
    for (Registration r : loaded.registrations()) owners.put(r.ownerId(), new OwnerRecord(r));
    log.info("backup engine: {} owners registered, {} registration problems", owners.size(), problems.size());
    OwnerSocketServer server = null;
    if (config.socket() != null) server = new OwnerSocketServer(config.socket(), new Directory());
    this.socketServer = server;
  }

  public static BackupEngine start(EngineConfig config) throws IOException {
    return new BackupEngine(config);
  }

  public EngineConfig config() { return config; }
  public Staging staging() { return staging; }

  /** Registration files that were left out, with file, line and reason. */
  public List<RegistrationException> registrationProblems() { return problems; }

  public synchronized BurMode mode() { return mode; }

  public synchronized List<Registration> registrations() {
    List<Registration> out = new ArrayList<>();
    for (OwnerRecord r : owners.values()) out.add(r.registration);
    return out;
  }

  public synchronized List<OwnerInfo> owners() {
    List<OwnerInfo> out = new ArrayList<>();
    for (OwnerRecord r : owners.values()) out.add(view(r));
    return out;
  }

  private OwnerInfo view(OwnerRecord r) {
    Registration reg = r.registration;
    OwnerStatus status;
    if (!reg.isActive()) status = r.lastError != null ? OwnerStatus.FAILED : OwnerStatus.READY;
    else if (!r.connected()) status = OwnerStatus.NOT_CONNECTED;
    else if (r.lastError != null) status = OwnerStatus.FAILED;
    else if (mode.isNormal() || r.readyError == 0) status = OwnerStatus.READY;
    else status = OwnerStatus.NOT_READY;
    return new OwnerInfo(reg.ownerId(), reg.isActive(), status, reg.volumes(), reg.supportsIncremental(),
        reg.requiresReboot(), r.lastExpectedSize, r.lastError);
  }

  /** The open session with this id, or null. */
  public synchronized BackupSession session(int id) {
    return session != null && session.id() == id ? session : null;
  }

  public synchronized BackupSession currentSession() { return session; }

  /**
   * Opens a session: switches the mode (from normal only) and tells every connected owner.
   * {@code ownerIds} limits a partial session (empty = every owner); {@code volumes} limits the
   * volumes (empty = all).
   */
  public BackupSession open(boolean backup, boolean partial, boolean increment, List<String> ownerIds, List<String> volumes)
      throws EngineException {
    BackupSession s;
    synchronized (this) {
      if (session != null) {
        throw new EngineException(EngineError.MODE_NOT_NORMAL, "session " + session.id() + " is open (" + mode
            + "): backup and restore switch only through normal mode");
      }
      for (String v : volumes) {
        if (!config.volumes().containsKey(v)) throw new EngineException(EngineError.INVALID_PARAMETER, "unknown volume '" + v + "'");
      }
      if (partial && ownerIds.isEmpty()) throw new EngineException(EngineError.INVALID_PARAMETER, "a partial session needs owner ids");
      if (!partial && !ownerIds.isEmpty()) throw new EngineException(EngineError.INVALID_PARAMETER, "a full session takes no owner list");
      List<OwnerRecord> participants = new ArrayList<>();
      if (partial) {
        for (String id : new LinkedHashSet<>(ownerIds)) {
          OwnerRecord r = owners.get(id);
          if (r == null) throw new EngineException(EngineError.UNKNOWN_OWNER, "no owner '" + id + "' is registered");
          participants.add(r);
        }
      } else {
        participants.addAll(owners.values());
      }
      int part = backup ? (partial ? BurMode.BACKUP_PARTIAL : BurMode.BACKUP_FULL) : (partial ? BurMode.RESTORE_PARTIAL : BurMode.RESTORE_FULL);
      mode = BurMode.of(part | (increment ? BurMode.INCREMENT : BurMode.BASE));
      Set<String> ids = new LinkedHashSet<>();
      for (OwnerRecord r : participants) {
        ids.add(r.id());
        r.lastError = null;
      }
      affected = ids;
      sessionVolumes = volumes.isEmpty() ? config.volumes().keySet() : Set.copyOf(volumes);
      for (OwnerRecord r : owners.values()) r.readyError = OwnerRecord.NOT_CONFIRMED;
      s = new BackupSession(this, sessionIds.incrementAndGet(), new SessionScope(backup, partial, increment, participants, sessionVolumes));
      session = s;
      log.info("backup session {} opened: {} for {}", s.id(), mode, ids);
    }
    broadcast();
    return s;
  }

  /** Called by the session when it ends (commit or abort): back to normal, tell everyone. */
  void sessionEnded(BackupSession s) {
    synchronized (this) {
      notifyAll(); // a readiness wait of this session ends now
      if (session != s) return;
      session = null;
      mode = BurMode.NORMAL_MODE;
      affected = Set.of();
      sessionVolumes = Set.of();
    }
    broadcast();
  }

  /** Aborts the open session, if any (USB disconnect, device reset, MTP session closed). */
  public void abortCurrentSession(String reason) {
    BackupSession s = currentSession();
    if (s != null) s.abort(reason);
  }

  private void broadcast() {
    List<Object[]> sends = new ArrayList<>();
    synchronized (this) {
      for (OwnerRecord r : owners.values()) {
        if (r.connected()) sends.add(new Object[] {r.port, modeFor(r)});
      }
    }
    for (Object[] s : sends) ((OwnerPort) s[0]).sendMode((ModeInfo) s[1]);
  }

  private ModeInfo modeFor(OwnerRecord r) {
    List<String> vols = new ArrayList<>();
    for (String v : r.registration.volumes()) if (mode.isNormal() || sessionVolumes.contains(v)) vols.add(v);
    return new ModeInfo(mode, vols, !mode.isNormal() && affected.contains(r.id()));
  }

  // ---------------------------------------------------------------- owner readiness and failure

  /**
   * Waits until every listed active owner confirmed readiness (or reported an error), the
   * readiness timeout (but at most {@code atMost}) passed, or {@code session} ended. Returns the
   * owners not ready, with the reason.
   */
  Map<String, String> awaitReadiness(BackupSession session, List<OwnerRecord> active, java.time.Duration atMost)
      throws InterruptedException {
    java.time.Duration limit = atMost.compareTo(config.readinessTimeout()) < 0 ? atMost : config.readinessTimeout();
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (this) {
      while (!session.ended()) {
        boolean waiting = false;
        for (OwnerRecord r : active) if (r.readyError == OwnerRecord.NOT_CONFIRMED) waiting = true;
        long left = deadline - System.nanoTime();
        if (!waiting || left <= 0) break;
        wait(Math.max(1, left / 1_000_000));
      }
      Map<String, String> notReady = new LinkedHashMap<>();
      for (OwnerRecord r : active) {
        if (!r.connected()) notReady.put(r.id(), "not connected within the readiness timeout (" + limit.toMillis() + " ms)");
        else if (r.readyError == OwnerRecord.NOT_CONFIRMED) notReady.put(r.id(), "did not confirm readiness within " + limit.toMillis() + " ms");
        else if (r.readyError != 0) notReady.put(r.id(), "reported error " + r.readyError + " instead of readiness");
      }
      return notReady;
    }
  }

  synchronized OwnerPort portOf(OwnerRecord r) { return r.connected() ? r.port : null; }

  synchronized void recordFailure(OwnerRecord r, String error) {
    r.lastError = error;
    log.warn("owner {} failed: {}", r.id(), error);
  }

  synchronized void recordExpected(OwnerRecord r, long size) { r.lastExpectedSize = size; }

  // ---------------------------------------------------------------- attaching owners

  @Override public Attachment attach(String ownerId, ActiveBackupDataClient owner, java.util.function.Consumer<ModeInfo> modes) {
    InProcessOwnerPort port = new InProcessOwnerPort(ownerId, owner, modes);
    Directory d = new Directory();
    if (d.activeRegistration(ownerId) == null) throw new IllegalArgumentException("no active owner '" + ownerId + "' is registered");
    d.attach(ownerId, port);
    return new Attachment() {
      @Override public void confirmReady(int error) { d.ready(ownerId, port, error); }
      @Override public void detach() { d.lost(ownerId, port, "owner detached"); port.close(); }
    };
  }

  private final class Directory implements OwnerDirectory {
    @Override public Registration activeRegistration(String ownerId) {
      synchronized (BackupEngine.this) {
        OwnerRecord r = owners.get(ownerId);
        return r != null && r.registration.isActive() ? r.registration : null;
      }
    }

    @Override public void attach(String ownerId, OwnerPort port) {
      OwnerPort old;
      ModeInfo info;
      synchronized (BackupEngine.this) {
        OwnerRecord r = owners.get(ownerId);
        old = r.port;
        r.port = port;
        r.readyError = OwnerRecord.NOT_CONFIRMED;
        info = modeFor(r);
      }
      if (old != null && old != port) old.close();
      // An owner connecting mid-operation learns the mode at once.
      port.sendMode(info);
    }

    @Override public void ready(String ownerId, OwnerPort port, int error) {
      synchronized (BackupEngine.this) {
        OwnerRecord r = owners.get(ownerId);
        if (r == null || r.port != port) return;
        r.readyError = error;
        BackupEngine.this.notifyAll();
      }
    }

    @Override public void lost(String ownerId, OwnerPort port, String reason) {
      synchronized (BackupEngine.this) {
        OwnerRecord r = owners.get(ownerId);
        if (r == null || r.port != port) return;
        r.port = null;
        r.readyError = OwnerRecord.NOT_CONFIRMED;
        BackupEngine.this.notifyAll();
      }
      log.info("owner {} disconnected: {}", ownerId, reason);
    }
  }

  Path volumeRoot(String volume) { return config.volumes().get(volume); }

  int nameCharsForFiles() { return nameCharsForFiles; }

  /**
   * Tests only: a smaller names limit for the backups that start after this call. The real one is
   * reached only by 8 Mi characters of file names (a test took minutes); the rule that enforces it
   * is the same whatever the number.
   */
  void limitNameCharsForFilesForTests(int chars) {
    if (chars <= 0 || chars > BackupRun.NAME_CHARS_FOR_FILES) throw new IllegalArgumentException("not a smaller limit: " + chars);
    nameCharsForFiles = chars;
  }

  String deviceName() { return config.deviceName(); }

  @Override public void close() {
    abortCurrentSession("engine shutting down");
    if (socketServer != null) socketServer.close();
    List<OwnerPort> ports = new ArrayList<>();
    synchronized (this) {
      for (OwnerRecord r : owners.values()) if (r.port != null) ports.add(r.port);
    }
    for (OwnerPort p : ports) p.close();
  }
}
