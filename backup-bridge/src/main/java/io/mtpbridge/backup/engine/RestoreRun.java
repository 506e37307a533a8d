package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.FileSnapshot;
import io.mtpbridge.backup.archive.Spool;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.engine.files.RestoreStage;
import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.registration.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore session's work, archive by archive (a base, then increments, each verified completely
 * before this sees it), and then all at once at commit:
 * <ul>
 * <li>per archive ({@link #take}): active owners receive their snapshot and data sections (they
 *   keep them aside until restoreComplete); passive owners' files are staged in hidden temporary
 *   files ({@link RestoreStage}). Nothing visible changes.</li>
 * <li>{@link #commit}: passive owners' staged files are put in place, owner by owner, each owner
 *   rolled back as a whole if any of its files cannot be; then every active owner hears
 *   restoreComplete and its checksum is compared with the backup's.</li>
 * <li>{@link #discard} (abort): staged files are removed; the session terminates the active owners.</li>
 * </ul>
 * An owner that fails before commit is left out of it whole: its data stays as it was.
 */
final class RestoreRun {
  private static final Logger log = LoggerFactory.getLogger(RestoreRun.class);

  private final BackupEngine engine;
  private final SessionScope scope;
  private final SessionProgress progress;
  private final OwnerCalls calls;

  private int archives;
  private String lastSetId;
  private final Map<String, RestoreStage> stages = new LinkedHashMap<>();
  private final Map<String, FileSnapshot> latestFiles = new HashMap<>();
  private final Set<String> restoredBase = new HashSet<>();
  private final Map<OwnerRecord, Set<String>> activeDelivered = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Long> expectedChecksums = new HashMap<>();
  /** Per owner: data the archives held that this device cannot restore (reported as partial). */
  private final Map<String, Set<String>> missingVolumes = new HashMap<>();
  private final Set<String> skippedOnly = new LinkedHashSet<>();
  private final Map<String, OwnerOutcome> finalOutcomes = new LinkedHashMap<>();

  RestoreRun(BackupEngine engine, SessionScope scope, SessionProgress progress, OwnerCalls calls) {
    this.engine = engine;
    this.scope = scope;
    this.progress = progress;
    this.calls = calls;
  }

  int archivesTaken() { return archives; }

  /** The restore order: a base first (an increment in an increment session), then each set's child. */
  void checkOrder(Manifest m) throws EngineException {
    if (archives == 0) {
      if (!scope.increment() && m.isIncrement()) {
        throw new EngineException(EngineError.RESTORE_ORDER, "a restore starts with a base set; " + m.setId() + " is an increment");
      }
      if (scope.increment() && !m.isIncrement()) {
        throw new EngineException(EngineError.RESTORE_ORDER, "this session restores increments; " + m.setId() + " is a base set");
      }
    } else {
      if (!m.isIncrement()) throw new EngineException(EngineError.RESTORE_ORDER, "only increments may follow the first set; " + m.setId() + " is a base set");
      if (!lastSetId.equals(m.parent())) {
        throw new EngineException(EngineError.RESTORE_ORDER, "increment " + m.setId() + " follows set " + m.parent()
            + ", not the last restored set " + lastSetId);
      }
    }
  }

  /** Hands one verified archive to the owners (delivered or staged, not applied); what it did per owner. */
  Map<String, OwnerOutcome> take(VerifiedArchive archive) {
    Manifest m = archive.manifest();
    Map<String, OwnerOutcome> outcomes = new LinkedHashMap<>();
    Map<String, Manifest.Owner> inArchive = new HashMap<>();
    for (Manifest.Owner o : m.owners()) inArchive.put(o.id(), o);
    for (OwnerRecord r : scope.participants()) {
      Manifest.Owner o = inArchive.get(r.id());
      if (o == null) {
        if (scope.partial()) outcomes.put(r.id(), OwnerOutcome.skipped("not in this archive"));
        continue;
      }
      if (!o.ok()) {
        outcomes.put(r.id(), OwnerOutcome.skipped("the backup marked it " + o.status() + (o.error() == null ? "" : " (" + o.error() + ")")));
        continue;
      }
      if (o.kind().equals("active") != r.registration.isActive()) {
        fail(r, OwnerStatus.FAILED, "archive holds " + o.kind() + " data but the owner is registered otherwise", false);
      } else if (progress.isReady(r)) {
        if (r.registration.isActive()) takeActive(r, o, archive);
        else takePassive(r, o, archive);
      }
      for (Manifest.Volume v : o.volumes()) {
        if (engine.volumeRoot(v.name()) == null) missingVolumes.computeIfAbsent(r.id(), k -> new LinkedHashSet<>()).add(v.name());
      }
      outcomes.put(r.id(), progress.isReady(r) ? OwnerOutcome.STAGED : OwnerOutcome.failed(progress.errorOf(r)));
    }
    for (Manifest.Owner o : m.owners()) {
      if (!outcomes.containsKey(o.id()) && !scope.partial()) outcomes.put(o.id(), OwnerOutcome.skipped("not registered on this device"));
    }
    archives++;
    lastSetId = m.setId();
    return outcomes;
  }

  private void fail(OwnerRecord r, OwnerStatus status, String why, boolean terminate) {
    calls.fail(r, status, why, terminate);
    discardStages(r);
  }

  private void takeActive(OwnerRecord r, Manifest.Owner o, VerifiedArchive archive) {
    try {
      List<Manifest.Volume> todo = new ArrayList<>();
      for (Manifest.Volume v : o.volumes()) if (scope.volumes().contains(v.name())) todo.add(v);
      progress.startMulti(r);
      for (Manifest.Volume v : todo) {
        Spool snap = streamOf(archive, v, EntryName.ACTIVE_SNAPSHOT);
        if (snap != null) calls.feed(r, Callback.RECEIVE_SNAPSHOT_DATA, v.name(), snap);
      }
      calls.call(r, Callback.ALL_SNAPSHOTS_SUPPLIED, "", null, false, null);
      for (Manifest.Volume v : todo) {
        String k = SessionScope.key(r, v.name());
        Spool base = streamOf(archive, v, EntryName.ACTIVE_BASE);
        Spool inc = streamOf(archive, v, EntryName.ACTIVE_INCREMENT);
        if (base != null && inc != null) throw new OwnerFailure("archive holds both base and increment for " + v.name(), false);
        if (base != null) {
          // A later set may carry a new base (an owner without incremental support, or one that
          // lost its snapshot): it replaces everything before it for that volume.
          calls.call(r, Callback.INITIALISE_RESTORE_BASE_DATA, v.name(), null, false, null);
          calls.feed(r, Callback.RESTORE_BASE_DATA_SECTION, v.name(), base);
          restoredBase.add(k);
        } else if (inc != null) {
          if (!restoredBase.contains(k) && !(scope.increment() && archives == 0)) {
            throw new OwnerFailure("increment for " + v.name() + " without its base (restore order)", false);
          }
          calls.call(r, Callback.INITIALISE_RESTORE_INCREMENT_DATA, v.name(), null, false, null);
          calls.feed(r, Callback.RESTORE_INCREMENT_DATA_SECTION, v.name(), inc);
        } else {
          continue;
        }
        activeDelivered.computeIfAbsent(r, x -> new LinkedHashSet<>()).add(v.name());
        if (v.checksum() != null) expectedChecksums.put(k, v.checksum());
        else expectedChecksums.remove(k);
      }
    } catch (OwnerFailure f) {
      fail(r, OwnerCalls.statusOf(f), f.getMessage(), true);
    } catch (IOException e) {
      fail(r, OwnerStatus.FAILED, "staged data unreadable: " + e.getMessage(), true);
    }
  }

  private static Spool streamOf(VerifiedArchive a, Manifest.Volume v, String kind) {
    for (Manifest.Stream s : v.streams()) if (s.kind().equals(kind)) return a.stream(s.name());
    return null;
  }

  private void takePassive(OwnerRecord r, Manifest.Owner o, VerifiedArchive archive) {
    Registration.Passive passive = r.registration.passive().orElseThrow();
    for (Manifest.Volume v : o.volumes()) {
      if (!scope.volumes().contains(v.name())) continue;
      Registration.Selection sel = passive.volumes().get(v.name());
      if (sel == null) {
        fail(r, OwnerStatus.FAILED, "archive holds volume " + v.name() + ", which the owner does not register", false);
        return;
      }
      String k = SessionScope.key(r, v.name());
      try {
        RestoreStage stage = stages.get(k);
        if (stage == null) {
          stage = RestoreStage.open(engine.volumeRoot(v.name()), sel, r.registration.uid());
          stages.put(k, stage);
        }
        FileSnapshot snap = null;
        for (Manifest.Stream s : v.streams()) {
          if (progress.ended()) throw new IOException("session aborted");
          if (s.kind().equals(EntryName.FILES_SNAPSHOT)) {
            try (InputStream in = archive.stream(s.name()).openInput()) {
              snap = FileSnapshot.read(in);
            }
            continue;
          }
          if (!s.kind().equals(EntryName.FILE)) throw new IOException(s.name() + " is not passive data");
          String rel = EntryName.parse(s.name()).relativePath();
          if (!covers(sel, rel)) throw new IOException(rel + " lies outside the owner's registered paths");
          try (InputStream in = archive.stream(s.name()).openInput()) {
            stage.stage(rel, in, s.size(), archive.mode(s.name()), s.mtime());
          }
          progress.addDone(r, s.size());
        }
        if (snap != null) latestFiles.put(k, snap);
      } catch (IOException | ArchiveException | RuntimeException e) {
        fail(r, OwnerStatus.FAILED, "restore of " + v.name() + " failed, nothing of it will be applied: " + e.getMessage(), false);
        return;
      }
    }
  }

  /** True when the owner's selection covers {@code rel}: a restore writes nowhere else. */
  static boolean covers(Registration.Selection sel, String rel) {
    if (sel.isExcluded(rel)) return false;
    if (sel.includeFiles().contains(rel)) return true;
    for (String d : sel.includeDirectories()) if (rel.startsWith(d + "/")) return true;
    return false;
  }

  private void discardStages(OwnerRecord r) {
    for (Map.Entry<String, RestoreStage> e : stages.entrySet()) {
      if (e.getKey().startsWith(r.id() + "/")) e.getValue().discard();
    }
  }

  /**
   * Applies everything: passive owners first (each as a whole, rolled back on any failure), then
   * restoreComplete and the checksum check for each active owner. Returns every owner's outcome.
   */
  Map<String, OwnerOutcome> commit() {
    Set<OwnerRecord> tookPart = new LinkedHashSet<>();
    for (OwnerRecord r : scope.participants()) {
      if (r.registration.isActive() ? activeDelivered.containsKey(r) : hasStages(r)) tookPart.add(r);
    }
    for (OwnerRecord r : scope.participants()) {
      if (r.registration.isActive() || !tookPart.contains(r) || !progress.isReady(r)) continue;
      commitPassive(r);
    }
    for (OwnerRecord r : activeOwnersWithData()) {
      if (progress.isReady(r)) commitActive(r, activeDelivered.get(r));
    }
    for (OwnerRecord r : scope.participants()) {
      if (finalOutcomes.containsKey(r.id())) continue;
      if (!progress.isReady(r)) finalOutcomes.put(r.id(), OwnerOutcome.failed(progress.errorOf(r) + "; nothing of it was applied"));
      else if (!tookPart.contains(r) && missingVolumes.containsKey(r.id())) {
        finalOutcomes.put(r.id(), OwnerOutcome.failed("the archive holds its data for volume " + String.join(", ", missingVolumes.get(r.id()))
            + ", which this device does not have; nothing was restored"));
      } else if (!tookPart.contains(r)) finalOutcomes.put(r.id(), OwnerOutcome.skipped("the archives held nothing to restore for it"));
      else finalOutcomes.put(r.id(), restoredOrPartial(r));
    }
    closeStages();
    return finalOutcomes;
  }

  private boolean hasStages(OwnerRecord r) {
    for (String k : stages.keySet()) if (k.startsWith(r.id() + "/")) return true;
    return false;
  }

  private OwnerOutcome restoredOrPartial(OwnerRecord r) {
    Set<String> missing = missingVolumes.get(r.id());
    if (missing == null || missing.isEmpty()) return OwnerOutcome.RESTORED;
    return new OwnerOutcome(OwnerOutcome.Kind.PARTIAL, "the archive holds data for volume " + String.join(", ", missing)
        + ", which this device does not have; that data was not restored");
  }

  private void commitPassive(OwnerRecord r) {
    boolean deleteOthers = r.registration.passive().orElseThrow().deleteBeforeRestore();
    List<RestoreStage.Applied> applied = new ArrayList<>();
    String failure = null;
    for (Map.Entry<String, RestoreStage> e : stages.entrySet()) {
      if (!e.getKey().startsWith(r.id() + "/")) continue;
      try {
        applied.add(e.getValue().apply(latestFiles.get(e.getKey()), deleteOthers));
      } catch (IOException | RuntimeException x) {
        failure = x.getMessage();
        for (Throwable s : x.getSuppressed()) failure += " (" + s.getMessage() + ")";
        break;
      }
    }
    if (failure == null) {
      for (RestoreStage.Applied a : applied) a.finish();
      return;
    }
    // One owner's files go in whole or not at all: undo its volumes applied before the failure.
    String undo = null;
    for (int i = applied.size() - 1; i >= 0; i--) {
      String u = applied.get(i).rollback();
      if (u != null) undo = undo == null ? u : undo + "; " + u;
    }
    discardStages(r);
    boolean incomplete = undo != null || failure.contains("rollback incomplete");
    String why = "applying the restore failed: " + failure
        + (incomplete ? "; " + (undo == null ? "" : undo + "; ") + "its files may be partly restored" : "; rolled back, its files are as they were");
    calls.fail(r, OwnerStatus.FAILED, why, false);
    finalOutcomes.put(r.id(), new OwnerOutcome(incomplete ? OwnerOutcome.Kind.FAILED_AFTER_APPLY : OwnerOutcome.Kind.FAILED, why));
    log.warn("restore of owner {}: {}", r.id(), why);
  }

  private void commitActive(OwnerRecord r, Set<String> volumes) {
    String volume = null;
    List<String> completed = new ArrayList<>();
    try {
      for (String v : volumes) {
        volume = v;
        calls.call(r, Callback.RESTORE_COMPLETE, v, null, false, null);
        completed.add(v);
      }
    } catch (OwnerFailure f) {
      // The owner's contract: restoreComplete applies one volume all or nothing; one that fails
      // keeps that volume's data. Volumes completed before it cannot be taken back by the engine.
      String why = "restoreComplete(" + volume + ") failed: " + f.getMessage();
      if (!completed.isEmpty()) why += "; volume " + String.join(", ", completed) + " was restored before";
      calls.fail(r, OwnerCalls.statusOf(f), why, true);
      finalOutcomes.put(r.id(), completed.isEmpty() ? OwnerOutcome.failed(progress.errorOf(r))
          : new OwnerOutcome(OwnerOutcome.Kind.FAILED_AFTER_APPLY, progress.errorOf(r)));
      return;
    }
    try {
      for (String v : volumes) {
        Long expected = expectedChecksums.get(SessionScope.key(r, v));
        if (expected == null) continue;
        Long actual = calls.checksum(r, v);
        if (actual != null && !actual.equals(expected)) {
          String why = "restored, but the owner's data checksum for " + v + " is " + actual + ", the backup recorded " + expected;
          calls.fail(r, OwnerStatus.FAILED, why, true);
          finalOutcomes.put(r.id(), new OwnerOutcome(OwnerOutcome.Kind.FAILED_AFTER_APPLY, why));
          return;
        }
      }
      progress.endMulti(r);
    } catch (OwnerFailure f) {
      String why = "restored, but the checksum check failed: " + f.getMessage();
      calls.fail(r, OwnerCalls.statusOf(f), why, true);
      finalOutcomes.put(r.id(), new OwnerOutcome(OwnerOutcome.Kind.FAILED_AFTER_APPLY, why));
    }
  }

  /** Owners that were handed data (active), to terminate on abort. */
  List<OwnerRecord> activeOwnersWithData() {
    synchronized (activeDelivered) {
      return new ArrayList<>(activeDelivered.keySet());
    }
  }

  /** Abort: every staged file is removed; nothing was applied. */
  void discard() {
    for (RestoreStage s : stages.values()) s.discard();
    closeStages();
  }

  private void closeStages() {
    for (RestoreStage s : stages.values()) s.close();
  }
}
