package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.FileSnapshot;
import io.mtpbridge.backup.archive.Spool;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.BoundedTarInputStream;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * SupplySnapshots' input, read the way a restore reads an archive: the snapshot entries of the
 * session's owners and the manifest are spooled while hashed, the manifest is required, and each
 * snapshot must be listed in it with its size and SHA-256 (from an owner the backup marked ok)
 * before anything of it is used. Data entries of a whole backup.tar are skipped.
 */
final class SnapshotIntake {
  private SnapshotIntake() {}

  /**
   * The previous set: its id, the passive snapshots ("owner/volume" → files) and the active ones
   * (spooled; the caller deletes them).
   */
  record Snapshots(String parentSetId, Map<String, FileSnapshot> files, Map<String, Spool> active) {
    void delete() {
      for (Spool s : active.values()) s.delete();
    }
  }

  static Snapshots read(InputStream in, Staging staging, Set<String> ownerIds, Set<String> volumes) throws EngineException {
    Map<String, Spool> spooled = new LinkedHashMap<>();
    Spool manifestSpool = null;
    boolean ok = false;
    try {
      TarArchiveInputStream tar = BoundedTarInputStream.of(in);
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
          manifestSpool = staging.newSpool();
          ArchiveReader.spoolEntry(tar, e, manifestSpool, buffer, name);
          continue;
        }
        EntryName en = EntryName.parse(name);
        boolean snapshot = en.kind().equals(EntryName.ACTIVE_SNAPSHOT) || en.kind().equals(EntryName.FILES_SNAPSHOT);
        if (!snapshot || !ownerIds.contains(en.owner()) || !volumes.contains(en.volume())) continue;
        if (spooled.containsKey(name)) throw new ArchiveException(name, "entry given twice");
        Spool s = staging.newSpool();
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
      Map<String, FileSnapshot> files = new HashMap<>();
      Map<String, Spool> active = new LinkedHashMap<>();
      for (Map.Entry<String, Spool> sp : spooled.entrySet()) {
        EntryName en = EntryName.parse(sp.getKey());
        String key = en.owner() + "/" + en.volume();
        if (en.kind().equals(EntryName.FILES_SNAPSHOT)) {
          try (InputStream snap = sp.getValue().openInput()) {
            files.put(key, FileSnapshot.read(snap));
          } catch (IOException bad) {
            throw new ArchiveException(sp.getKey(), bad.getMessage());
          }
          sp.getValue().delete();
        } else {
          active.put(key, sp.getValue());
        }
      }
      ok = true;
      return new Snapshots(m.setId(), files, active);
    } catch (ArchiveException bad) {
      throw new EngineException(EngineError.ARCHIVE_INVALID, "snapshots refused: " + bad.getMessage());
    } catch (Staging.StagingFullException full) {
      throw new EngineException(EngineError.STORE_FULL, full.getMessage());
    } catch (IOException | IllegalArgumentException bad) {
      throw new EngineException(EngineError.ARCHIVE_INVALID, "snapshot archive unreadable: " + bad.getMessage());
    } finally {
      if (manifestSpool != null) manifestSpool.delete();
      if (!ok) for (Spool s : spooled.values()) s.delete();
    }
  }
}
