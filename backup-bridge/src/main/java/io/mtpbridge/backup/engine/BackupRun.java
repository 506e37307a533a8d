package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.ArchiveWriter;
import io.mtpbridge.backup.archive.FileSnapshot;
import io.mtpbridge.backup.archive.Spool;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.engine.files.FileReader;
import io.mtpbridge.backup.engine.files.OwnerFiles;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.registration.Registration;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces one backup set as it goes: every active owner's streams (spooled until complete, so a
 * failing owner leaves nothing half in the archive) and every passive owner's files (straight
 * from disk, opened without following links), then the manifest. An owner that fails is marked so
 * in the manifest; the others carry on.
 */
final class BackupRun {
  private static final Logger log = LoggerFactory.getLogger(BackupRun.class);

  private final BackupEngine engine;
  private final SessionScope scope;
  private final SessionProgress progress;
  private final OwnerCalls calls;
  private final SnapshotIntake.Snapshots previous;
  private final Set<String> snapshotReceived;
  private int streamsWritten;
  /** Characters of passive file names written; the rest of {@link Manifest#MAX_NAME_CHARS} is for the other (short) names. */
  private long nameCharsWritten;
  static final int NAME_CHARS_FOR_FILES = Manifest.MAX_NAME_CHARS - (1 << 20);
  /** {@link #NAME_CHARS_FOR_FILES}, unless a test made it smaller ({@link BackupEngine#limitNameCharsForFilesForTests}). */
  private final int nameCharsForFiles;

  /** {@code previous}: the set this increment builds on (null for a base); {@code snapshotReceived}: owner/volume keys that got theirs. */
  BackupRun(BackupEngine engine, SessionScope scope, SessionProgress progress, OwnerCalls calls,
      SnapshotIntake.Snapshots previous, Set<String> snapshotReceived) {
    this.engine = engine;
    this.scope = scope;
    this.progress = progress;
    this.calls = calls;
    this.previous = previous;
    this.snapshotReceived = snapshotReceived;
    this.nameCharsForFiles = engine.nameCharsForFiles();
  }

  Manifest write(OutputStream out) throws IOException {
    ArchiveWriter writer = new ArchiveWriter(out);
    try {
      for (OwnerRecord r : scope.participants()) {
        if (!r.registration.isActive() || !progress.isReady(r)) continue;
        try {
          calls.call(r, Callback.ALL_SNAPSHOTS_SUPPLIED, "", null, false, null);
        } catch (OwnerFailure f) {
          calls.fail(r, OwnerCalls.statusOf(f), f.getMessage(), true);
        }
      }
      List<Manifest.Owner> owners = new ArrayList<>();
      for (OwnerRecord r : scope.participants()) {
        List<Manifest.Volume> vols = new ArrayList<>();
        if (progress.isReady(r)) {
          if (r.registration.isActive()) backupActive(r, writer, vols);
          else backupPassive(r, writer, vols);
        }
        owners.add(manifestOwner(r, vols));
      }
      Manifest m = new Manifest(Manifest.FORMAT, UUID.randomUUID().toString(), scope.increment() && previous != null ? previous.parentSetId() : null,
          engine.deviceName(), Instant.now().toString(), scope.partial() ? "backup-partial" : "backup-full",
          scope.increment() ? "increment" : "base", owners);
      writer.finish(m);
      out.flush();
      return m;
    } finally {
      writer.close();
    }
  }

  /** The owner's entry in the manifest: its status as the archive format names it. */
  private Manifest.Owner manifestOwner(OwnerRecord r, List<Manifest.Volume> vols) {
    OwnerStatus s = progress.statusOf(r);
    String status = s == OwnerStatus.READY ? "ok" : s == OwnerStatus.NOT_CONNECTED ? "not-connected"
        : s == OwnerStatus.NOT_READY ? "not-ready" : "failed";
    return new Manifest.Owner(r.id(), r.registration.isActive() ? "active" : "passive", status, progress.errorOf(r), vols);
  }

  private void backupActive(OwnerRecord r, ArchiveWriter writer, List<Manifest.Volume> vols) throws IOException {
    List<Spool> spools = new ArrayList<>();
    Map<String, Spool[]> perVolume = new LinkedHashMap<>();
    Map<String, Long> checksums = new HashMap<>();
    try {
      for (String v : scope.volumesOf(r)) {
        long expected = calls.call(r, Callback.GET_EXPECTED_DATA_SIZE, v, null, false, null).value();
        progress.addExpected(r, Math.max(0, expected));
        engine.recordExpected(r, expected);
        calls.call(r, Callback.INITIALISE_GET_BACKUP_DATA, v, null, false, null);
        Spool data = engine.staging().newSpool();
        spools.add(data);
        calls.pump(r, Callback.GET_BACKUP_DATA_SECTION, v, data, true);
        Spool snap = engine.staging().newSpool();
        spools.add(snap);
        calls.pump(r, Callback.GET_SNAPSHOT_DATA, v, snap, false);
        perVolume.put(v, new Spool[] {data, snap});
        // Recorded so a restore can check the owner really ended where the backup left it
        // (null: the owner keeps no checksum, and nothing will be compared).
        checksums.put(v, calls.checksum(r, v));
      }
      // Only a complete owner reaches the archive: a failure above leaves no partial entry.
      long now = System.currentTimeMillis();
      for (Map.Entry<String, Spool[]> e : perVolume.entrySet()) {
        String v = e.getKey();
        String kind = snapshotReceived.contains(SessionScope.key(r, v)) ? EntryName.ACTIVE_INCREMENT : EntryName.ACTIVE_BASE;
        List<Manifest.Stream> streams = new ArrayList<>();
        streams.add(writer.writeSpool(EntryName.of(r.id(), v, kind).toName(), kind, e.getValue()[0], now));
        streams.add(writer.writeSpool(EntryName.of(r.id(), v, EntryName.ACTIVE_SNAPSHOT).toName(), EntryName.ACTIVE_SNAPSHOT, e.getValue()[1], now));
        vols.add(new Manifest.Volume(v, streams, checksums.get(v)));
      }
    } catch (OwnerFailure f) {
      calls.fail(r, OwnerCalls.statusOf(f), f.getMessage(), true);
    } catch (Staging.StagingFullException full) {
      calls.fail(r, OwnerStatus.FAILED, full.getMessage(), true);
    } finally {
      for (Spool s : spools) s.delete();
    }
  }

  private void backupPassive(OwnerRecord r, ArchiveWriter writer, List<Manifest.Volume> vols) throws IOException {
    Registration.Passive passive = r.registration.passive().orElseThrow();
    for (String v : scope.volumesOf(r)) {
      Registration.Selection sel = passive.volumes().get(v);
      OwnerFiles opened;
      try {
        opened = OwnerFiles.open(engine.volumeRoot(v));
      } catch (IOException e) {
        calls.fail(r, OwnerStatus.FAILED, "cannot open volume " + v + ": " + e.getMessage(), false);
        return;
      }
      try (OwnerFiles files = opened) {
        TreeMap<String, OwnerFiles.Found> found;
        try {
          found = files.scan(sel, skipped -> log.info("owner {}: not backed up: {}", r.id(), skipped));
        } catch (IOException e) {
          calls.fail(r, OwnerStatus.FAILED, "cannot list files on " + v + ": " + e.getMessage(), false);
          return;
        }
        if (found.size() > FileSnapshot.MAX_ENTRIES) {
          calls.fail(r, OwnerStatus.FAILED, v + ": " + found.size() + " files, more than a backup set holds for one owner and volume ("
              + FileSnapshot.MAX_ENTRIES + ")", false);
          return;
        }
        long total = 0;
        for (OwnerFiles.Found f : found.values()) total += f.size();
        progress.addExpected(r, total);
        engine.recordExpected(r, total);
        FileSnapshot before = scope.increment() && previous != null ? previous.files().get(SessionScope.key(r, v)) : null;
        FileSnapshot now = new FileSnapshot();
        List<Manifest.Stream> streams = new ArrayList<>();
        for (OwnerFiles.Found f : found.values()) {
          if (before != null && !before.changed(f.path(), f.size(), f.mtime())) {
            now.put(f.path(), f.size(), f.mtime());
            continue;
          }
          if (progress.ended()) throw new IOException("session aborted");
          if (++streamsWritten > Manifest.MAX_STREAMS - 1024) {
            calls.fail(r, OwnerStatus.FAILED, "more than " + (Manifest.MAX_STREAMS - 1024) + " files in one backup set", false);
            return;
          }
          String entry = EntryName.file(r.id(), v, f.path()).toName();
          // a set whose names pass the readers' limit could never be restored (ArchiveInvalid for every owner in it)
          if (nameCharsWritten + entry.length() > nameCharsForFiles) {
            calls.fail(r, OwnerStatus.FAILED, "file names longer than " + nameCharsForFiles + " characters in all in one backup set", false);
            return;
          }
          // counted before it is written: an entry the writer starts is in the tar, listed or not
          nameCharsWritten += entry.length();
          FileReader src;
          try {
            src = files.openRead(f.path());
          } catch (IOException gone) {
            // The owner fails as a whole (a restore must not bring back some of its files without
            // the others); what it wrote so far stays in the tar, unlisted, and is dropped on restore.
            calls.fail(r, OwnerStatus.FAILED, f.path() + ": cannot open: " + gone.getMessage(), false);
            return;
          }
          try (src) {
            streams.add(writer.writeSource(entry, EntryName.FILE, f.size(), f.mtime(), f.mode(), src));
            now.put(f.path(), f.size(), f.mtime());
          } catch (ArchiveWriter.SourceFailedException changed) {
            calls.fail(r, OwnerStatus.FAILED, changed.getMessage(), false);
            return;
          }
          progress.addDone(r, f.size());
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
  }
}
