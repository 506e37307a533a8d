package io.mtpbridge.backup.archive;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.BoundedTarInputStream;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads a backup set from a stream: spools every entry to staging while hashing it, then checks
 * the manifest against what arrived (every listed stream present with its size and SHA-256,
 * nothing unlisted, no duplicates). The manifest may come first or last. On any failure all
 * spools are freed and the exception names the stream at fault: a corrupt, truncated or tampered
 * archive yields nothing to restore.
 */
public final class ArchiveReader {
  /** Entries of one archive: every stream the manifest may list, the manifest, some directories. */
  private static final int MAX_ENTRIES = Manifest.MAX_STREAMS + 1024;

  private ArchiveReader() {}

  public static VerifiedArchive read(InputStream in, Staging staging) throws ArchiveException, IOException {
    Map<String, Spool> spools = new LinkedHashMap<>();
    Spool manifestSpool = null;
    Map<String, Integer> modes = new HashMap<>();
    boolean ok = false;
    String current = null;
    try {
      TarArchiveInputStream tar = BoundedTarInputStream.of(in);
      byte[] buffer = new byte[64 * 1024];
      int entries = 0;
      long nameChars = 0;
      while (true) {
        TarArchiveEntry e;
        try {
          e = tar.getNextEntry();
        } catch (Staging.StagingFullException full) {
          throw full;
        } catch (IOException | IllegalArgumentException bad) {
          throw new ArchiveException(current, "archive is corrupt or truncated after this entry: " + bad.getMessage());
        }
        if (e == null) {
          try {
            BoundedTarInputStream.requireOnlyPadding(in);
          } catch (IOException trailing) {
            throw new ArchiveException(null, trailing.getMessage() + ": send one archive per transfer");
          }
          break;
        }
        current = e.getName();
        if (++entries > MAX_ENTRIES) throw new ArchiveException(current, "more than " + MAX_ENTRIES + " entries");
        if (e.isDirectory()) continue;
        // isFile() is true for FIFOs, devices and sparse files too: the type flag itself decides
        if (!regular(e)) throw new ArchiveException(current, "only regular files belong in a backup set (not a link, device, FIFO or sparse file)");
        nameChars += current.length();
        if (nameChars > Manifest.MAX_NAME_CHARS) {
          // every name is held until the manifest is checked: long names by the thousand would fill the heap
          throw new ArchiveException(current, "entry names longer than " + Manifest.MAX_NAME_CHARS + " characters in all (a backup set holds no more)");
        }
        if (current.equals(Manifest.FILE_NAME)) {
          if (manifestSpool != null) throw new ArchiveException(current, "manifest given twice");
          if (e.getSize() > Manifest.MAX_BYTES) throw new ArchiveException(current, "manifest larger than " + Manifest.MAX_BYTES + " bytes");
          manifestSpool = staging.newSpool();
          spoolEntry(tar, e, manifestSpool, buffer, current);
          continue;
        }
        EntryName.parse(current);
        if (spools.containsKey(current)) throw new ArchiveException(current, "entry given twice");
        Spool spool = staging.newSpool();
        spools.put(current, spool);
        modes.put(current, e.getMode());
        spoolEntry(tar, e, spool, buffer, current);
      }
      if (manifestSpool == null) throw new ArchiveException(Manifest.FILE_NAME, "missing: the archive is truncated or not a backup set");
      Manifest manifest;
      try (InputStream json = manifestSpool.openInput()) {
        manifest = Manifest.read(json);
      }
      verify(manifest, spools);
      ok = true;
      return new VerifiedArchive(manifest, spools, modes);
    } finally {
      if (manifestSpool != null) manifestSpool.delete();
      if (!ok) for (Spool s : spools.values()) s.delete();
    }
  }

  /** A plain file: not a hard or symbolic link, device, FIFO, contiguous or sparse file. */
  private static boolean regular(TarArchiveEntry e) {
    byte type = e.getLinkFlag();
    return (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM) && !e.isSparse();
  }

  /** Copies the current entry's data into {@code spool}, checking it is all there. */
  public static void spoolEntry(TarArchiveInputStream tar, TarArchiveEntry e, Spool spool, byte[] buffer, String name)
      throws ArchiveException, IOException {
    long got = 0;
    int n;
    try {
      while ((n = tar.read(buffer)) > 0) {
        spool.write(buffer, 0, n);
        got += n;
      }
    } catch (Staging.StagingFullException full) {
      throw full;
    } catch (IOException bad) {
      throw new ArchiveException(name, "archive truncated or corrupt inside this stream: " + bad.getMessage());
    }
    if (got != e.getSize()) throw new ArchiveException(name, "archive truncated inside this stream (" + got + " of " + e.getSize() + " bytes)");
    spool.finish();
  }

  private static void verify(Manifest manifest, Map<String, Spool> spools) throws ArchiveException {
    Set<String> listed = new HashSet<>();
    Map<String, String> ownerKinds = new HashMap<>();
    Set<String> okOwners = new HashSet<>();
    for (Manifest.Owner o : manifest.owners()) {
      if (ownerKinds.put(o.id(), o.kind()) != null) throw new ArchiveException(Manifest.FILE_NAME, "owner " + o.id() + " listed twice");
      if (o.ok()) okOwners.add(o.id());
      for (Manifest.Volume v : o.volumes()) {
        for (Manifest.Stream s : v.streams()) {
          EntryName name = EntryName.parse(s.name());
          if (!name.owner().equals(o.id()) || !name.volume().equals(v.name()) || !name.kind().equals(s.kind())) {
            throw new ArchiveException(s.name(), "manifest places this stream under the wrong owner, volume or kind");
          }
          if (!listed.add(s.name())) throw new ArchiveException(s.name(), "listed twice in the manifest");
          Spool spool = spools.get(s.name());
          if (spool == null) throw new ArchiveException(s.name(), "listed in the manifest but missing from the archive");
          if (spool.size() != s.size()) throw new ArchiveException(s.name(), "size " + spool.size() + " differs from the manifest's " + s.size());
          if (!spool.sha256Hex().equals(s.sha256())) throw new ArchiveException(s.name(), "SHA-256 differs from the manifest: the data is corrupt or was changed");
        }
      }
    }
    for (java.util.Iterator<Map.Entry<String, Spool>> it = spools.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Spool> e = it.next();
      String name = e.getKey();
      if (listed.contains(name)) continue;
      // A backup writes an owner's streams as it goes; an owner that failed part-way (a file that
      // shrank or could not be read) leaves entries its manifest record no longer lists. They are
      // dropped, not restored, and the rest of the set stays valid.
      String owner = EntryName.parse(name).owner();
      if (ownerKinds.containsKey(owner) && !okOwners.contains(owner)) {
        e.getValue().delete();
        it.remove();
        continue;
      }
      throw new ArchiveException(name, "present in the archive but not listed in the manifest");
    }
  }
}
