package io.mtpbridge.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * history, verify and prune of a repository of many sets, each with a manifest of the most streams
 * a set may hold, in a JVM whose heap holds about one such manifest. Before, the listing parsed
 * every set's whole manifest and kept them all (about 20 MB each here), so a repository of a few
 * large sets needed hundreds of MB of heap on the PC and history ended in an OutOfMemoryError; now
 * the listing keeps a small summary per set, and verify loads one set's manifest at a time.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RepositoryMemoryTest {
  /** Sets in the repository: their whole manifests together need about 160 MB of heap. */
  private static final int SETS = 8;
  /** The child's heap: one manifest and the verifier's records of one archive fit, all sets' manifests do not. */
  private static final String HEAP = "-Xmx64m";
  private static final String OWNER = "org.example.notes";

  @TempDir static Path tmp;
  private static Path repo;

  @BeforeAll static void aRepositoryOfLargeSets() throws Exception {
    repo = tmp.resolve("repo");
    // one archive of MAX_STREAMS empty files, names under 100 characters (no pax headers), shared by
    // every set through hard links: 25 MB on disk, not 200
    List<Manifest.Stream> streams = new ArrayList<>(Manifest.MAX_STREAMS);
    String empty = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    Path archive = tmp.resolve("shared.tar");
    try (OutputStream out = Files.newOutputStream(archive);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      for (int i = 0; i < Manifest.MAX_STREAMS; i++) {
        String name = EntryName.file(OWNER, "internal", String.format("notes/%08d-a-name-long-enough-to-be-realistic.txt", i)).toName();
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        streams.add(new Manifest.Stream(name, EntryName.FILE, 0, empty, 1_700_000_000_000L + i));
      }
    }
    BackupRepository r = new BackupRepository(repo);
    String parent = null;
    for (int i = 0; i < SETS; i++) {
      String id = String.format("set-%02d", i);
      String created = String.format("2026-01-%02dT00:00:00Z", i + 1);
      Manifest m = new Manifest(Manifest.FORMAT, id, parent, "Demo", created, parent == null ? "backup-full" : "backup-incremental",
          parent == null ? "base" : "increment",
          List.of(new Manifest.Owner(OWNER, "passive", "ok", "", List.of(new Manifest.Volume("internal", streams)))));
      BackupRepository.IncompleteSet s = r.begin();
      try {
        Files.createLink(s.archive(), archive);
      } catch (IOException | UnsupportedOperationException noHardLinks) {
        Files.copy(archive, s.archive());
      }
      s.commit(m, new SetRecord(id, "SER", "Acme", "Phone", created, Files.size(archive)));
      parent = id;
    }
    assertTrue(Files.size(repo.resolve("set-00").resolve(Manifest.FILE_NAME)) > 10_000_000, "large manifests");
  }

  private record Run(int status, String out, String err) {}

  private static Run mtpbridge(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), MtpBridge.class.getName()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime());
    Path err = tmp.resolve("err-" + System.nanoTime());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "mtpbridge " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test void historyListsEverySetInASmallHeap() throws Exception {
    Run r = mtpbridge("history", "--repo", repo.toString());
    assertEquals(0, r.status(), r.toString());
    assertEquals(SETS, r.out().lines().count(), r.toString());
    assertTrue(r.out().lines().allMatch(l -> l.contains("owners " + OWNER + " ok")), r.toString());
    Run json = mtpbridge("--json", "history", "--repo", repo.toString());
    assertEquals(0, json.status(), json.toString());
    assertTrue(json.out().contains("\"id\" : \"set-07\"") || json.out().contains("\"id\":\"set-07\""), json.toString());
  }

  @Test void verifyChecksEverySetOneAtATimeInASmallHeap() throws Exception {
    Run r = mtpbridge("verify", "--repo", repo.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("ok  set-07  incremental  " + Manifest.MAX_STREAMS + " streams"), r.toString());
    assertTrue(r.out().contains("All " + SETS + " sets verified"), r.toString());
  }

  @Test void pruneOfManyLargeSetsInASmallHeap() throws Exception {
    // every set is in one chain: the newest needs them all, so nothing goes (and nothing is read whole)
    Run r = mtpbridge("prune", "--repo", repo.toString(), "--keep", "1");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("Nothing to remove."), r.toString());
  }
}
