package io.mtpbridge.host.backup;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.Cancellation;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import io.mtpbridge.host.repo.StoredSet;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C while verify (or restore, which verifies first) re-hashes a stored archive stops the
 * reading there. Before, it was heard only once the whole archive was hashed (minutes for a
 * large one), and a stop inside the tar reader would have been reported as a damaged archive.
 */
class VerifyCancelTest {
  @TempDir Path tmp;

  @Test void ctrlCStopsTheReHashAndBlamesNoArchive() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    BackupRepository.IncompleteSet s = repo.begin();
    String name = EntryName.file("org.example.notes", "internal", "big.bin").toName();
    long size = 32L << 20;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = Files.newOutputStream(s.archive());
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(size);
      tar.putArchiveEntry(e);
      byte[] chunk = new byte[1 << 20];
      for (long n = 0; n < size; n += chunk.length) {
        tar.write(chunk);
        sha.update(chunk);
      }
      tar.closeArchiveEntry();
    }
    Manifest m = new Manifest(Manifest.FORMAT, "big-set", null, "Demo", "2024-01-01T00:00:00Z", "backup-full", "base",
        List.of(new Manifest.Owner("org.example.notes", "passive", "ok", "", List.of(new Manifest.Volume("internal",
            List.of(new Manifest.Stream(name, EntryName.FILE, size, HexFormat.of().formatHex(sha.digest()), 0)))))));
    StoredSet set = s.commit(m, new SetRecord("big-set", "SER", "Acme", "Phone", "x", Files.size(s.archive())));

    Cancellation ctrlC = new Cancellation();
    AtomicLong read = new AtomicLong();
    HostBackup verifier = new HostBackup(null, ctrlC, new BackupListener() {
      @Override public void bytes(long n) {
        if (read.addAndGet(n) > (1 << 20)) ctrlC.cancel(); // pressed after the first MiB
      }
    });
    new HostBackup(null, new Cancellation(), BackupListener.NONE).verifyLocal(set); // sound when not stopped
    assertThrows(Cancellation.CancelledException.class, () -> verifier.verifyLocal(set));
    assertTrue(read.get() < (8 << 20), "stopped soon after Ctrl-C, not after all 32 MiB: read " + read.get());
  }
}
