package io.mtpbridge.host;

import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A backup repository as a backup leaves it, for tests and the class-data training run. */
final class SampleRepository {
  private static final String OWNER = "org.example.notes";

  private SampleRepository() {}

  /** A set of one passive owner with two files, written as a backup leaves it (tar + manifest.json + set.json). */
  static Path withOneSet(Path repo) throws Exception {
    BackupRepository r = new BackupRepository(repo);
    BackupRepository.IncompleteSet s = r.begin();
    List<Manifest.Stream> streams = new ArrayList<>();
    String id = "0b5e7a1c-0000-4000-8000-000000000001";
    String created = "2026-01-02T03:04:05Z";
    Manifest manifest;
    try (OutputStream out = Files.newOutputStream(s.archive());
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String[] f : new String[][] {{"notes/a.txt", "alpha\n"}, {"notes/deeper/b.txt", "bravo, with a longer line\n".repeat(100)}}) {
        byte[] data = f[1].getBytes(StandardCharsets.UTF_8);
        String name = EntryName.file(OWNER, "internal", f[0]).toName();
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        streams.add(new Manifest.Stream(name, EntryName.FILE, data.length, sha, 1_700_000_000_000L));
      }
      manifest = new Manifest(Manifest.FORMAT, id, null, "Test device", created, "backup-full", "base",
          List.of(new Manifest.Owner(OWNER, "passive", "ok", "", List.of(new Manifest.Volume("internal", streams)))));
      byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(Manifest.FILE_NAME, true);
      e.setSize(json.length);
      tar.putArchiveEntry(e);
      tar.write(json);
      tar.closeArchiveEntry();
    }
    s.commit(manifest, new SetRecord(id, "SER-IT", "Acme", "Phone", created, Files.size(s.archive())));
    return repo;
  }

}
