package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.ArchiveWriter;
import io.mtpbridge.backup.archive.FileSnapshot;
import io.mtpbridge.backup.archive.Spool;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionState;
import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.backup.registration.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup or restore session and the engine rules that govern it. A backup session may take
 * the previous set's snapshots (increment only, before any data), then produces its archive once.
 * A restore session takes archives in order (base, then increments, each the child of the one
 * before), verifying each completely before any owner sees a byte; closing with commit applies
 * deletions and calls restoreComplete. Owners that fail (readiness, watchdog, crash, garbage,
 * throw) are marked failed and get terminateMultiStageOperation(); the rest carry on.
 */
public final class BackupSession {
  private static final Logger log = LoggerFactory.getLogger(BackupSession.class);
  private static final int MAX_EMPTY_SECTIONS = 10_000;

  private final BackupEngine engine;
  private final int id;
  private final boolean backup;
  private final boolean partial;
  private final boolean increment;
  private final List<OwnerRecord> participants;
  private final Set<String> volumes;
  private final Object transferLock = new Object();

  // guarded by this
  private SessionState state = SessionState.OPEN;
  private String error;
  private final Map<String, Progress> progress = new LinkedHashMap<>();
  private final Set<OwnerRecord> midOperation = new LinkedHashSet<>();

  // guarded by transferLock
  private boolean readinessChecked;
  private boolean snapshotsSupplied;
  private boolean archiveRead;
  private int streamsWritten;
  private final Set<String> snapshotReceived = new HashSet<>();
  private final Map<String, FileSnapshot> previousFiles = new HashMap<>();
  private String parentSetId;
  private String lastRestoredSetId;
  private int archivesRestored;
  private final Set<String> restoredBase = new HashSet<>();
  private final Map<String, FileSnapshot> latestFiles = new LinkedHashMap<>();
  private final Map<OwnerRecord, Set<String>> activeRestored = new LinkedHashMap<>();
  private final Map<String, Long> expectedChecksums = new HashMap<>();

  private static final class Progress {
    OwnerStatus status;
    String error;
    long done;
    long expected;

    Progress(OwnerStatus status) { this.status = status; }
  }

  /** What one restore archive did for each owner. */
  public record RestoreReport(String setId, Map<String, String> outcomes) {
    public boolean allOk() {
      for (String o : outcomes.values()) if (!o.equals("ok")) return false;
      return true;
    }
  }

  BackupSession(BackupEngine engine, int id, boolean backup, boolean partial, boolean increment,
      List<OwnerRecord> participants, Set<String> volumes) {
    this.engine = engine;
    this.id = id;
    this.backup = backup;
    this.partial = partial;
    this.increment = increment;
    this.participants = List.copyOf(participants);
    this.volumes = Set.copyOf(volumes);
    for (OwnerRecord r : participants) progress.put(r.id(), new Progress(r.registration.isActive() ? OwnerStatus.NOT_READY : OwnerStatus.READY));
  }

  public int id() { return id; }
  public boolean isBackup() { return backup; }
  public boolean isPartial() { return partial; }
  public boolean isIncrement() { return increment; }

  public synchronized SessionStatus status() {
    List<SessionStatus.Owner> owners = new ArrayList<>();
    for (Map.Entry<String, Progress> e : progress.entrySet()) {
      Progress p = e.getValue();
      owners.add(new SessionStatus.Owner(e.getKey(), p.status, p.error, p.done, p.expected));
    }
    return new SessionStatus(id, state, error, owners);
  }

  public synchronized SessionState state() { return state; }

  // ---------------------------------------------------------------- rules

  private void requireUsable() throws EngineException {
    synchronized (this) {
      if (state == SessionState.ABORTED) throw new EngineException(EngineError.SESSION_ABORTED, "session " + id + " was aborted: " + error);
      if (state == SessionState.CLOSED) throw new EngineException(EngineError.NO_SUCH_SESSION, "session " + id + " is closed");
    }
  }

  private synchronized boolean aborted() { return state == SessionState.ABORTED || state == SessionState.CLOSED; }

  private synchronized void setState(SessionState s) {
    if (state != SessionState.ABORTED && state != SessionState.CLOSED) state = s;
  }

  private String key(OwnerRecord r, String volume) { return r.id() + "/" + volume; }

  private List<String> volumesOf(OwnerRecord r) {
    List<String> out = new ArrayList<>();
    for (String v : r.registration.volumes()) if (volumes.contains(v)) out.add(v);
    return out;
  }

  private synchronized boolean failed(OwnerRecord r) {
    Progress p = progress.get(r.id());
    return p.status != OwnerStatus.READY;
  }

  /** Marks an owner failed for this session; terminates its multi-stage operation if one was running. */
  private void fail(OwnerRecord r, OwnerStatus status, String why, boolean terminate) {
    boolean wasMid;
    synchronized (this) {
      Progress p = progress.get(r.id());
      p.status = status;
      p.error = why;
      wasMid = midOperation.remove(r);
    }
    engine.recordFailure(r, why);
    if (terminate || wasMid) {
      OwnerPort port = engine.portOf(r);
      if (port != null) port.terminate();
    }
  }

  private synchronized void startMulti(OwnerRecord r) { midOperation.add(r); }

  private synchronized void endMulti(OwnerRecord r) { midOperation.remove(r); }

  private synchronized void addDone(OwnerRecord r, long n) { progress.get(r.id()).done += n; }

  private synchronized void addExpected(OwnerRecord r, long n) { progress.get(r.id()).expected += n; }

  /** Readiness is awaited once per session, before the first owner call. */
  private void ensureReadiness() throws IOException {
    if (readinessChecked) return;
    readinessChecked = true;
    List<OwnerRecord> active = new ArrayList<>();
    for (OwnerRecord r : participants) if (r.registration.isActive()) active.add(r);
    Map<String, String> notReady;
    try {
      notReady = engine.awaitReadiness(active);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for owners to get ready");
    }
    for (OwnerRecord r : active) {
      String why = notReady.get(r.id());
      if (why == null) {
        synchronized (this) {
          progress.get(r.id()).status = OwnerStatus.READY;
        }
      } else {
        fail(r, why.startsWith("not connected") ? OwnerStatus.NOT_CONNECTED : OwnerStatus.NOT_READY, why, false);
      }
    }
  }

  private Callback.CallResult call(OwnerRecord r, Callback cb, String volume, ByteBuffer in, boolean flag, ByteBuffer out)
      throws OwnerFailure {
    if (aborted()) throw new OwnerFailure("session aborted", false);
    // From its first call to the session's end the owner is inside the multi-stage operation:
    // cutting the session short must reach it with terminateMultiStageOperation().
    startMulti(r);
    OwnerPort port = engine.portOf(r);
    if (port == null) throw new OwnerFailure("owner disconnected", true);
    Duration timeout = r.registration.active().orElseThrow().callbackTimeout();
    return port.call(cb, volume, in, flag, out, timeout);
  }

  /** Throws what {@link #readArchive} would refuse with, before any data phase opens. */
  public void checkReadable() throws EngineException {
    requireUsable();
    if (!backup) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a restore session");
    synchronized (transferLock) {
      if (archiveRead) throw new EngineException(EngineError.ALREADY_TRANSFERRED, "the archive of session " + id + " was already produced");
    }
  }

  /** Throws what {@link #writeRestoreArchive} would refuse with up front. */
  public void checkWritable() throws EngineException {
    requireUsable();
    if (backup) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a backup session");
  }

  // ---------------------------------------------------------------- backup: snapshots

  /**
   * Takes the previous set's snapshots: a tar holding owners/&lt;id&gt;/&lt;volume&gt;/active.snapshot
   * and files.snapshot entries and the previous manifest.json (a whole previous backup.tar does).
   * Active owners receive theirs at once; then every active owner hears allSnapshotsSupplied.
   */
  public void supplySnapshots(InputStream in) throws EngineException, IOException {
    synchronized (transferLock) {
      requireUsable();
      if (!backup || !increment) throw new EngineException(EngineError.SNAPSHOTS_NOT_EXPECTED, "snapshots belong to incremental backups only");
      if (archiveRead) throw new EngineException(EngineError.SNAPSHOTS_AFTER_DATA, "the archive was already read: snapshots come before data");
      if (snapshotsSupplied) throw new EngineException(EngineError.SNAPSHOTS_NOT_EXPECTED, "snapshots were already supplied");
      snapshotsSupplied = true;
      Map<String, Spool> activeSnapshots = new LinkedHashMap<>();
      try {
        readSnapshotTar(in, activeSnapshots);
        ensureReadiness();
        for (OwnerRecord r : participants) {
          if (!r.registration.isActive() || failed(r)) continue;
          try {
            for (String v : volumesOf(r)) {
              Spool s = activeSnapshots.get(key(r, v));
              if (s == null || !r.registration.supportsIncremental()) continue;
              startMulti(r);
              feed(r, Callback.RECEIVE_SNAPSHOT_DATA, v, s);
              snapshotReceived.add(key(r, v));
            }
          } catch (OwnerFailure f) {
            fail(r, OwnerStatus.FAILED, f.getMessage(), true);
          }
        }
      } finally {
        for (Spool s : activeSnapshots.values()) s.delete();
      }
    }
  }

  /**
   * Reads the previous set's snapshots the way a restore reads an archive: the snapshot entries
   * of this session's owners and the manifest are spooled while hashed, the manifest is required,
   * and each snapshot must be listed in it with its size and SHA-256 (from an owner the backup
   * marked ok) before anything of it is used. Data entries of a whole backup.tar are skipped.
   */
  private void readSnapshotTar(InputStream in, Map<String, Spool> activeSnapshots) throws EngineException, IOException {
    Set<String> ids = new HashSet<>();
    for (OwnerRecord r : participants) ids.add(r.id());
    Map<String, Spool> spooled = new LinkedHashMap<>();
    Spool manifestSpool = null;
    boolean ok = false;
    try {
      TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
      byte[] buffer = new byte[64 * 1024];
      TarArchiveEntry e;
      int entries = 0;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        if (++entries > Manifest.MAX_STREAMS + 1024) throw new ArchiveException(null, "more entries than a backup set holds");
        if (!e.isFile()) continue;
        if (name.equals(Manifest.FILE_NAME)) {
          if (manifestSpool != null) throw new ArchiveException(name, "manifest given twice");
          if (e.getSize() > Manifest.MAX_BYTES) throw new ArchiveException(name, "manifest larger than " + Manifest.MAX_BYTES + " bytes");
          manifestSpool = engine.staging().newSpool();
          ArchiveReader.spoolEntry(tar, e, manifestSpool, buffer, name);
          continue;
        }
        EntryName en = EntryName.parse(name);
        boolean snapshot = en.kind().equals(EntryName.ACTIVE_SNAPSHOT) || en.kind().equals(EntryName.FILES_SNAPSHOT);
        if (!snapshot || !ids.contains(en.owner()) || !volumes.contains(en.volume())) continue;
        if (spooled.containsKey(name)) throw new ArchiveException(name, "entry given twice");
        Spool s = engine.staging().newSpool();
        spooled.put(name, s);
        ArchiveReader.spoolEntry(tar, e, s, buffer, name);
      }
      if (manifestSpool == null) {
        throw new ArchiveException(Manifest.FILE_NAME, "missing: snapshots are taken only from a backup set with its manifest");
      }
      Manifest m;
      try (InputStream json = manifestSpool.openInput()) {
        m = Manifest.read(json);
      }
      Map<String, Manifest.Stream> listed = new HashMap<>();
      for (Manifest.Owner o : m.owners()) {
        if (!o.ok()) continue;
        for (Manifest.Volume v : o.volumes()) for (Manifest.Stream st : v.streams()) listed.put(st.name(), st);
      }
      for (Map.Entry<String, Spool> sp : spooled.entrySet()) {
        Manifest.Stream st = listed.get(sp.getKey());
        Spool s = sp.getValue();
        if (st == null) throw new ArchiveException(sp.getKey(), "not listed in the manifest (or its owner failed in that backup)");
        if (st.size() != s.size()) throw new ArchiveException(sp.getKey(), "size " + s.size() + " differs from the manifest's " + st.size());
        if (!st.sha256().equals(s.sha256Hex())) throw new ArchiveException(sp.getKey(), "SHA-256 differs from the manifest: the snapshot is corrupt or was changed");
      }
      for (Map.Entry<String, Spool> sp : spooled.entrySet()) {
        EntryName en = EntryName.parse(sp.getKey());
        String k = en.owner() + "/" + en.volume();
        if (en.kind().equals(EntryName.FILES_SNAPSHOT)) {
          try (InputStream snap = sp.getValue().openInput()) {
            previousFiles.put(k, FileSnapshot.read(snap));
          } catch (IOException bad) {
            throw new ArchiveException(sp.getKey(), bad.getMessage());
          }
        }
      }
      parentSetId = m.setId();
      for (Map.Entry<String, Spool> sp : spooled.entrySet()) {
        EntryName en = EntryName.parse(sp.getKey());
        if (en.kind().equals(EntryName.ACTIVE_SNAPSHOT)) activeSnapshots.put(en.owner() + "/" + en.volume(), sp.getValue());
        else sp.getValue().delete();
      }
      ok = true;
    } catch (ArchiveException bad) {
      previousFiles.clear();
      throw new EngineException(EngineError.ARCHIVE_INVALID, "snapshots refused: " + bad.getMessage());
    } catch (Staging.StagingFullException full) {
      throw new EngineException(EngineError.STORE_FULL, full.getMessage());
    } catch (IOException | IllegalArgumentException bad) {
      previousFiles.clear();
      throw new EngineException(EngineError.ARCHIVE_INVALID, "snapshot archive unreadable: " + bad.getMessage());
    } finally {
      if (manifestSpool != null) manifestSpool.delete();
      if (!ok) for (Spool s : spooled.values()) s.delete();
    }
  }

  /** Sends a spooled stream to the owner in sections, the last one flagged. */
  private void feed(OwnerRecord r, Callback cb, String volume, Spool s) throws OwnerFailure, IOException {
    byte[] a = new byte[Callback.MAX_SECTION];
    byte[] b = new byte[Callback.MAX_SECTION];
    try (InputStream in = s.openInput()) {
      int n = in.readNBytes(a, 0, a.length);
      while (true) {
        int m = n == a.length ? in.readNBytes(b, 0, b.length) : 0;
        boolean last = m == 0;
        call(r, cb, volume, ByteBuffer.wrap(a, 0, n), last, null);
        addDone(r, n);
        if (last) return;
        byte[] t = a;
        a = b;
        b = t;
        n = m;
      }
    }
  }

  // ---------------------------------------------------------------- backup: the archive

  /**
   * Produces this session's archive into {@code out} as it goes. An IOException from {@code out}
   * (host cancel, disconnect) aborts the session: owners in the middle get terminate.
   */
  public Manifest readArchive(OutputStream out) throws EngineException, IOException {
    synchronized (transferLock) {
      requireUsable();
      if (!backup) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a restore session");
      if (archiveRead) throw new EngineException(EngineError.ALREADY_TRANSFERRED, "the archive of session " + id + " was already produced");
      archiveRead = true;
      setState(SessionState.TRANSFERRING);
      ArchiveWriter writer = new ArchiveWriter(out);
      try {
        ensureReadiness();
        for (OwnerRecord r : participants) {
          if (r.registration.isActive() && !failed(r)) {
            try {
              call(r, Callback.ALL_SNAPSHOTS_SUPPLIED, "", null, false, null);
            } catch (OwnerFailure f) {
              fail(r, OwnerStatus.FAILED, f.getMessage(), true);
            }
          }
        }
        List<Manifest.Owner> owners = new ArrayList<>();
        for (OwnerRecord r : participants) {
          List<Manifest.Volume> vols = new ArrayList<>();
          if (!failed(r)) {
            if (r.registration.isActive()) backupActive(r, writer, vols);
            else backupPassive(r, writer, vols);
          }
          owners.add(manifestOwner(r, vols));
        }
        Manifest m = new Manifest(Manifest.FORMAT, UUID.randomUUID().toString(), increment ? parentSetId : null,
            engine.deviceName(), Instant.now().toString(), partial ? "backup-partial" : "backup-full",
            increment ? "increment" : "base", owners);
        writer.finish(m);
        out.flush();
        setState(SessionState.TRANSFERRED);
        return m;
      } catch (IOException | RuntimeException | Error e) {
        abort("archive transfer cut short: " + e);
        throw e;
      } finally {
        writer.close();
      }
    }
  }

  private synchronized Manifest.Owner manifestOwner(OwnerRecord r, List<Manifest.Volume> vols) {
    Progress p = progress.get(r.id());
    String status = p.status == OwnerStatus.READY ? "ok" : p.status == OwnerStatus.NOT_CONNECTED ? "not-connected"
        : p.status == OwnerStatus.NOT_READY ? "not-ready" : "failed";
    return new Manifest.Owner(r.id(), r.registration.isActive() ? "active" : "passive", status, p.error, vols);
  }

  private void backupActive(OwnerRecord r, ArchiveWriter writer, List<Manifest.Volume> vols) throws IOException {
    List<Spool> spools = new ArrayList<>();
    Map<String, Spool[]> perVolume = new LinkedHashMap<>();
    Map<String, Long> checksums = new HashMap<>();
    try {
      for (String v : volumesOf(r)) {
        long expected = call(r, Callback.GET_EXPECTED_DATA_SIZE, v, null, false, null).value();
        addExpected(r, Math.max(0, expected));
        engine.recordExpected(r, expected);
        startMulti(r);
        call(r, Callback.INITIALISE_GET_BACKUP_DATA, v, null, false, null);
        Spool data = engine.staging().newSpool();
        spools.add(data);
        pump(r, Callback.GET_BACKUP_DATA_SECTION, v, data, true);
        Spool snap = engine.staging().newSpool();
        spools.add(snap);
        pump(r, Callback.GET_SNAPSHOT_DATA, v, snap, false);
        perVolume.put(v, new Spool[] {data, snap});
        // Recorded so a restore can check the owner really ended where the backup left it.
        checksums.put(v, call(r, Callback.GET_DATA_CHECKSUM, v, null, false, null).value());
      }
      // Only a complete owner reaches the archive: a failure above leaves no partial entry.
      long now = System.currentTimeMillis();
      for (Map.Entry<String, Spool[]> e : perVolume.entrySet()) {
        String v = e.getKey();
        String kind = snapshotReceived.contains(key(r, v)) ? EntryName.ACTIVE_INCREMENT : EntryName.ACTIVE_BASE;
        List<Manifest.Stream> streams = new ArrayList<>();
        streams.add(writer.writeSpool(EntryName.of(r.id(), v, kind).toName(), kind, e.getValue()[0], now));
        streams.add(writer.writeSpool(EntryName.of(r.id(), v, EntryName.ACTIVE_SNAPSHOT).toName(), EntryName.ACTIVE_SNAPSHOT, e.getValue()[1], now));
        vols.add(new Manifest.Volume(v, streams, checksums.get(v)));
      }
    } catch (OwnerFailure f) {
      fail(r, f.connectionLost() ? OwnerStatus.NOT_CONNECTED : OwnerStatus.FAILED, f.getMessage(), true);
    } catch (Staging.StagingFullException full) {
      fail(r, OwnerStatus.FAILED, full.getMessage(), true);
    } finally {
      for (Spool s : spools) s.delete();
    }
  }

  private void pump(OwnerRecord r, Callback cb, String volume, Spool into, boolean countProgress) throws OwnerFailure, IOException {
    ByteBuffer buf = ByteBuffer.allocate(Callback.MAX_SECTION);
    int empty = 0;
    while (true) {
      buf.clear();
      Callback.CallResult res = call(r, cb, volume, null, false, buf);
      int n = buf.remaining();
      into.write(buf);
      if (countProgress) addDone(r, n);
      if (res.finished()) break;
      if (n == 0 && ++empty > MAX_EMPTY_SECTIONS) throw new OwnerFailure(cb + " returned " + MAX_EMPTY_SECTIONS + " empty sections without finishing", false);
      if (n > 0) empty = 0;
    }
    into.finish();
  }

  private void backupPassive(OwnerRecord r, ArchiveWriter writer, List<Manifest.Volume> vols) throws IOException {
    Registration.Passive passive = r.registration.passive().orElseThrow();
    for (String v : volumesOf(r)) {
      Registration.Selection sel = passive.volumes().get(v);
      Path root = engine.volumeRoot(v);
      TreeMap<String, PassiveFiles.Found> files;
      try {
        files = PassiveFiles.scan(root, sel);
      } catch (IOException e) {
        fail(r, OwnerStatus.FAILED, "cannot list files on " + v + ": " + e.getMessage(), false);
        return;
      }
      if (files.size() > FileSnapshot.MAX_ENTRIES) {
        fail(r, OwnerStatus.FAILED, v + ": " + files.size() + " files, more than a backup set holds for one owner and volume ("
            + FileSnapshot.MAX_ENTRIES + ")", false);
        return;
      }
      long total = 0;
      for (PassiveFiles.Found f : files.values()) total += f.size();
      addExpected(r, total);
      engine.recordExpected(r, total);
      FileSnapshot previous = increment ? previousFiles.get(key(r, v)) : null;
      FileSnapshot now = new FileSnapshot();
      List<Manifest.Stream> streams = new ArrayList<>();
      for (Map.Entry<String, PassiveFiles.Found> e : files.entrySet()) {
        PassiveFiles.Found f = e.getValue();
        if (previous != null && !previous.changed(e.getKey(), f.size(), f.mtime())) {
          now.put(e.getKey(), f.size(), f.mtime());
          continue;
        }
        if (aborted()) throw new IOException("session aborted");
        if (++streamsWritten > Manifest.MAX_STREAMS - 1024) {
          fail(r, OwnerStatus.FAILED, "more than " + (Manifest.MAX_STREAMS - 1024) + " files in one backup set", false);
          return;
        }
        InputStream src;
        try {
          src = Files.newInputStream(f.path(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
          // The owner fails as a whole (a restore must not bring back some of its files without
          // the others); what it wrote so far stays in the tar, unlisted, and is dropped on restore.
          fail(r, OwnerStatus.FAILED, e.getKey() + ": cannot open: " + gone.getMessage(), false);
          return;
        }
        try (src) {
          streams.add(writer.writeSource(EntryName.file(r.id(), v, e.getKey()).toName(), EntryName.FILE, f.size(), f.mtime(), f.mode(), src));
          now.put(e.getKey(), f.size(), f.mtime());
        } catch (ArchiveWriter.SourceFailedException changed) {
          fail(r, OwnerStatus.FAILED, changed.getMessage(), false);
          return;
        }
        addDone(r, f.size());
      }
      Spool snap = engine.staging().newSpool();
      try {
        now.writeTo(snap);
        snap.finish();
        streams.add(writer.writeSpool(EntryName.of(r.id(), v, EntryName.FILES_SNAPSHOT).toName(), EntryName.FILES_SNAPSHOT, snap, System.currentTimeMillis()));
      } finally {
        snap.delete();
      }
      vols.add(new Manifest.Volume(v, streams));
    }
  }

  // ---------------------------------------------------------------- restore

  /**
   * Verifies one archive completely (spooled to staging), checks the restore order, then gives
   * each owner its data. A corrupt, truncated or tampered archive restores nothing.
   */
  public RestoreReport writeRestoreArchive(InputStream in) throws EngineException, IOException {
    synchronized (transferLock) {
      requireUsable();
      if (backup) throw new EngineException(EngineError.WRONG_SESSION_KIND, "session " + id + " is a backup session");
      setState(SessionState.TRANSFERRING);
      VerifiedArchive archive;
      try {
        archive = ArchiveReader.read(in, engine.staging());
      } catch (ArchiveException bad) {
        setState(SessionState.OPEN);
        synchronized (this) {
          error = bad.getMessage();
        }
        throw new EngineException(EngineError.ARCHIVE_INVALID, bad.getMessage());
      } catch (Staging.StagingFullException full) {
        setState(SessionState.OPEN);
        throw new EngineException(EngineError.STORE_FULL, full.getMessage());
      } catch (IOException cut) {
        abort("restore transfer cut short: " + cut.getMessage());
        throw cut;
      }
      try (archive) {
        return restoreVerified(archive);
      } catch (EngineException refused) {
        setState(archivesRestored == 0 ? SessionState.OPEN : SessionState.TRANSFERRED);
        throw refused;
      } catch (RuntimeException | Error bug) {
        // Whatever went wrong, the session must not stay TRANSFERRING with the engine out of normal.
        abort("restore failed: " + bug);
        throw bug;
      }
    }
  }

  private RestoreReport restoreVerified(VerifiedArchive archive) throws EngineException, IOException {
    Manifest m = archive.manifest();
    checkOrder(m);
    ensureReadiness();
    Map<String, String> outcomes = new LinkedHashMap<>();
    Map<String, Manifest.Owner> inArchive = new HashMap<>();
    for (Manifest.Owner o : m.owners()) inArchive.put(o.id(), o);
    for (OwnerRecord r : participants) {
      Manifest.Owner o = inArchive.get(r.id());
      if (o == null) {
        if (partial) outcomes.put(r.id(), "failed: not in this archive");
        continue;
      }
      if (!o.ok()) {
        outcomes.put(r.id(), "skipped: the backup marked it " + o.status() + (o.error() == null ? "" : " (" + o.error() + ")"));
        continue;
      }
      if (o.kind().equals("active") != r.registration.isActive()) {
        fail(r, OwnerStatus.FAILED, "archive holds " + o.kind() + " data but the owner is registered otherwise", false);
      } else if (!failed(r)) {
        if (r.registration.isActive()) restoreActive(r, o, archive, m);
        else restorePassive(r, o, archive);
      }
      List<String> missing = new ArrayList<>();
      for (Manifest.Volume v : o.volumes()) {
        if (engine.volumeRoot(v.name()) == null) missing.add(v.name());
      }
      synchronized (this) {
        Progress p = progress.get(r.id());
        if (p.status != OwnerStatus.READY) outcomes.put(r.id(), "failed: " + p.error);
        else if (!missing.isEmpty()) outcomes.put(r.id(), "partial: the archive holds data for volume " + String.join(", ", missing)
            + ", which this device does not have; that data was not restored");
        else outcomes.put(r.id(), "ok");
      }
    }
    for (Manifest.Owner o : m.owners()) {
      if (!outcomes.containsKey(o.id()) && !partial) outcomes.put(o.id(), "skipped: not registered on this device");
    }
    archivesRestored++;
    lastRestoredSetId = m.setId();
    setState(SessionState.TRANSFERRED);
    return new RestoreReport(m.setId(), outcomes);
  }

  private void checkOrder(Manifest m) throws EngineException {
    if (archivesRestored == 0) {
      if (!increment && m.isIncrement()) {
        throw new EngineException(EngineError.RESTORE_ORDER, "a restore starts with a base set; " + m.setId() + " is an increment");
      }
      if (increment && !m.isIncrement()) {
        throw new EngineException(EngineError.RESTORE_ORDER, "this session restores increments; " + m.setId() + " is a base set");
      }
    } else {
      if (!m.isIncrement()) throw new EngineException(EngineError.RESTORE_ORDER, "only increments may follow the first set; " + m.setId() + " is a base set");
      if (!lastRestoredSetId.equals(m.parent())) {
        throw new EngineException(EngineError.RESTORE_ORDER, "increment " + m.setId() + " follows set " + m.parent()
            + ", not the last restored set " + lastRestoredSetId);
      }
    }
  }

  private void restoreActive(OwnerRecord r, Manifest.Owner o, VerifiedArchive archive, Manifest m) {
    try {
      List<Manifest.Volume> todo = new ArrayList<>();
      for (Manifest.Volume v : o.volumes()) if (volumes.contains(v.name())) todo.add(v);
      startMulti(r);
      for (Manifest.Volume v : todo) {
        Spool snap = streamOf(archive, v, EntryName.ACTIVE_SNAPSHOT);
        if (snap != null) feed(r, Callback.RECEIVE_SNAPSHOT_DATA, v.name(), snap);
      }
      call(r, Callback.ALL_SNAPSHOTS_SUPPLIED, "", null, false, null);
      for (Manifest.Volume v : todo) {
        String k = key(r, v.name());
        Spool base = streamOf(archive, v, EntryName.ACTIVE_BASE);
        Spool inc = streamOf(archive, v, EntryName.ACTIVE_INCREMENT);
        if (base != null && inc != null) throw new OwnerFailure("archive holds both base and increment for " + v.name(), false);
        if (base != null) {
          // A later set may carry a new base (an owner without incremental support, or one that
          // lost its snapshot): it replaces everything before it for that volume.
          call(r, Callback.INITIALISE_RESTORE_BASE_DATA, v.name(), null, false, null);
          feed(r, Callback.RESTORE_BASE_DATA_SECTION, v.name(), base);
          restoredBase.add(k);
        } else if (inc != null) {
          if (!restoredBase.contains(k) && !(increment && archivesRestored == 0)) {
            throw new OwnerFailure("increment for " + v.name() + " without its base (restore order)", false);
          }
          call(r, Callback.INITIALISE_RESTORE_INCREMENT_DATA, v.name(), null, false, null);
          feed(r, Callback.RESTORE_INCREMENT_DATA_SECTION, v.name(), inc);
        } else {
          continue;
        }
        activeRestored.computeIfAbsent(r, x -> new LinkedHashSet<>()).add(v.name());
        if (v.checksum() != null) expectedChecksums.put(k, v.checksum());
        else expectedChecksums.remove(k);
      }
    } catch (OwnerFailure f) {
      fail(r, f.connectionLost() ? OwnerStatus.NOT_CONNECTED : OwnerStatus.FAILED, f.getMessage(), true);
    } catch (IOException e) {
      fail(r, OwnerStatus.FAILED, "staged data unreadable: " + e.getMessage(), true);
    }
  }

  private static Spool streamOf(VerifiedArchive a, Manifest.Volume v, String kind) {
    for (Manifest.Stream s : v.streams()) if (s.kind().equals(kind)) return a.stream(s.name());
    return null;
  }

  /** Files land as temporaries first and are renamed only when all of the owner's volume is staged. */
  private void restorePassive(OwnerRecord r, Manifest.Owner o, VerifiedArchive archive) {
    Registration.Passive passive = r.registration.passive().orElseThrow();
    for (Manifest.Volume v : o.volumes()) {
      if (!volumes.contains(v.name())) continue;
      Registration.Selection sel = passive.volumes().get(v.name());
      if (sel == null) {
        fail(r, OwnerStatus.FAILED, "archive holds volume " + v.name() + ", which the owner does not register", false);
        return;
      }
      Path root = engine.volumeRoot(v.name());
      Map<Path, Path> staged = new LinkedHashMap<>();
      try {
        FileSnapshot snap = null;
        for (Manifest.Stream s : v.streams()) {
          if (aborted()) throw new IOException("session aborted");
          if (s.kind().equals(EntryName.FILES_SNAPSHOT)) {
            try (InputStream in = archive.stream(s.name()).openInput()) {
              snap = FileSnapshot.read(in);
            }
            continue;
          }
          if (!s.kind().equals(EntryName.FILE)) throw new IOException(s.name() + " is not passive data");
          String rel = EntryName.parse(s.name()).relativePath();
          if (!PassiveFiles.covers(sel, rel)) throw new IOException(rel + " lies outside the owner's registered paths");
          Path target = PassiveFiles.target(root, rel);
          // A short temporary name of its own: one derived from the target's would push a name
          // that is valid on the device (up to 255 bytes) past NAME_MAX.
          Path tmp = Files.createTempFile(target.getParent(), PassiveFiles.TEMP_PREFIX, PassiveFiles.TEMP_SUFFIX);
          staged.put(tmp, target);
          try (InputStream in = archive.stream(s.name()).openInput()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          }
          giveTo(tmp, r.registration.uid(), target.getParent());
          Files.setPosixFilePermissions(tmp, perms(archive.mode(s.name())));
          Files.setLastModifiedTime(tmp, FileTime.fromMillis(s.mtime()));
          addDone(r, s.size());
        }
        for (Map.Entry<Path, Path> e : staged.entrySet()) {
          Files.move(e.getKey(), e.getValue(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        staged.clear();
        if (snap != null) latestFiles.put(key(r, v.name()), snap);
      } catch (IOException | ArchiveException e) {
        fail(r, OwnerStatus.FAILED, "restore of " + v.name() + " failed, nothing of it applied: " + e.getMessage(), false);
      } finally {
        for (Path tmp : staged.keySet()) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException ignored) {
            // left for the next run to overwrite
          }
        }
      }
    }
  }

  /** After the last archive: remove what the latest snapshot no longer lists, then restoreComplete. */
  private void completeRestore() {
    for (OwnerRecord r : participants) {
      if (r.registration.isActive() || failed(r)) continue;
      Registration.Passive passive = r.registration.passive().orElseThrow();
      if (!passive.deleteBeforeRestore()) continue;
      for (String v : volumesOf(r)) {
        FileSnapshot snap = latestFiles.get(key(r, v));
        if (snap == null) continue;
        try {
          for (Map.Entry<String, PassiveFiles.Found> e : PassiveFiles.scan(engine.volumeRoot(v), passive.volumes().get(v)).entrySet()) {
            if (!snap.contains(e.getKey())) Files.deleteIfExists(e.getValue().path());
          }
        } catch (IOException e) {
          fail(r, OwnerStatus.FAILED, "removing files deleted since the backup failed: " + e.getMessage(), false);
        }
      }
    }
    for (Map.Entry<OwnerRecord, Set<String>> e : activeRestored.entrySet()) {
      OwnerRecord r = e.getKey();
      if (failed(r)) continue;
      try {
        for (String v : e.getValue()) {
          call(r, Callback.RESTORE_COMPLETE, v, null, false, null);
          Long expected = expectedChecksums.get(key(r, v));
          if (expected != null) {
            long actual = call(r, Callback.GET_DATA_CHECKSUM, v, null, false, null).value();
            if (actual != expected) {
              throw new OwnerFailure("after restore the owner's data checksum for " + v + " is " + actual
                  + ", the backup recorded " + expected, false);
            }
          }
        }
        endMulti(r);
      } catch (OwnerFailure f) {
        fail(r, OwnerStatus.FAILED, f.getMessage(), true);
      }
    }
  }

  // ---------------------------------------------------------------- ending

  /**
   * Ends the session: commit (restore: apply deletions, restoreComplete, checksum check) or abort.
   * Back to normal. Returns the final status, where owners that failed while completing show up.
   */
  public SessionStatus close(boolean commit) throws EngineException {
    if (!commit) {
      abort("aborted by the host");
      markClosed();
      return status();
    }
    synchronized (transferLock) {
      synchronized (this) {
        if (state == SessionState.CLOSED) throw new EngineException(EngineError.NO_SUCH_SESSION, "session " + id + " is closed");
        if (state == SessionState.ABORTED) {
          markClosed();
          throw new EngineException(EngineError.SESSION_ABORTED, "session " + id + " was aborted: " + error);
        }
      }
      if (!backup) completeRestore();
      markClosed();
      return status();
    }
  }

  private void markClosed() {
    synchronized (this) {
      if (state != SessionState.ABORTED) state = SessionState.CLOSED;
      midOperation.clear();
    }
    engine.sessionEnded(this);
  }

  /**
   * Cuts the session short (host cancel, USB disconnect or reset, abort outcome, engine shutdown).
   * Every owner in the middle of a multi-stage operation gets terminateMultiStageOperation().
   * Safe to call from any thread, and more than once.
   */
  public void abort(String reason) {
    List<OwnerRecord> toTerminate;
    synchronized (this) {
      if (state == SessionState.ABORTED || state == SessionState.CLOSED) return;
      state = SessionState.ABORTED;
      error = reason;
      toTerminate = new ArrayList<>(midOperation);
      midOperation.clear();
      if (!backup) {
        for (OwnerRecord r : activeRestored.keySet()) if (!toTerminate.contains(r)) toTerminate.add(r);
      }
    }
    log.warn("backup session {} aborted: {}", id, reason);
    for (OwnerRecord r : toTerminate) {
      OwnerPort port = engine.portOf(r);
      if (port != null) port.terminate();
    }
    engine.sessionEnded(this);
  }

  /**
   * Restored files belong to the owner's uid (and the group of the folder they land in), not to
   * the engine's user. Without the link being followed: the owner controls the folder.
   */
  private static void giveTo(Path file, int uid, Path folder) throws IOException {
    int nowUid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int gid = (Integer) Files.getAttribute(folder, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    try {
      if (nowUid != uid) Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      if ((Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS) != gid) {
        Files.setAttribute(file, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException e) {
      throw new IOException("cannot give restored files to uid " + uid + " (" + e.getMessage()
          + "): the engine must run as root to restore files of another user", e);
    }
  }

  private static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) p.add(all[i]);
    return p;
  }
}
