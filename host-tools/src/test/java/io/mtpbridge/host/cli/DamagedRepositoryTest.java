package io.mtpbridge.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The repository commands (no device needed) against a repository that is not what mtpbridge left. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DamagedRepositoryTest {
  @TempDir Path tmp;
  final FakeMtpDevice device = new FakeMtpDevice();

  private FakeMtpDevice.Result fails(String... args) {
    FakeMtpDevice.Result r = device.run(tmp.resolve("backups"), args);
    assertEquals(1, r.status(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r);
    assertTrue(r.err().startsWith("mtpbridge: "), r.toString());
    return r;
  }

  /** Before, history and verify said "No backup sets in FILE" and exited 0: a mistyped --repo looked verified. */
  @Test void aRepoThatIsAFileIsSaidSo() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    for (List<String> cmd : List.of(List.of("history"), List.of("verify"), List.of("prune", "--keep", "1"))) {
      String[] args = new java.util.ArrayList<String>(cmd) {{ add("--repo"); add(file.toString()); }}.toArray(String[]::new);
      FakeMtpDevice.Result r = fails(args);
      assertTrue(r.err().contains("is a file, not a folder"), r.toString());
    }
    assertEquals("x", Files.readString(file));
  }

  @Test void aSetThatIsItsOwnParentOrALoopIsABrokenChainForVerify() throws Exception {
    Path repoDir = tmp.resolve("repo");
    BackupRepository repo = new BackupRepository(repoDir);
    for (String[] s : new String[][] {{"self", "self"}, {"loop-a", "loop-b"}, {"loop-b", "loop-a"}}) {
      BackupRepository.IncompleteSet set = repo.begin();
      Files.write(set.archive(), new byte[0]);
      set.commit(new Manifest(Manifest.FORMAT, s[0], s[1], "Demo", "2024-01-01T00:00:00Z", "backup-incremental", "increment", List.of()),
          new SetRecord(s[0], "SER", "Acme", "Phone", "x", 0));
    }
    FakeMtpDevice.Result r = fails("verify", "--repo", repoDir.toString());
    assertTrue(r.err().contains("loop"), r.toString());
    FakeMtpDevice.Result one = fails("verify", "--repo", repoDir.toString(), "self");
    assertTrue(one.err().contains("loop"), one.toString());
  }

  /**
   * A manifest's created date, parent and owner states are printed by history: a newline in one
   * printed a second, made-up line of history (the output guard lets newlines through). Now each
   * set is one line, the newline shown as \\n.
   */
  @Test void historyShowsEachSetOnOneLineWhateverItsManifestHolds() throws Exception {
    Path repoDir = tmp.resolve("repo");
    BackupRepository repo = new BackupRepository(repoDir);
    BackupRepository.IncompleteSet set = repo.begin();
    Files.write(set.archive(), new byte[0]);
    set.commit(new Manifest(Manifest.FORMAT, "real", "p\nfake-2  full", "Demo", "2024-01-01\nfake-1  full  2024-01-02", "backup-full",
        "increment", List.of(new Manifest.Owner("o\u001b[2Jx", "active", "failed\nfake-3", "", List.of()))),
        new SetRecord("real", "SER", "Acme", "Phone", "x", 0));
    FakeMtpDevice.Result r = device.run(tmp.resolve("backups"), "history", "--repo", repoDir.toString());
    assertEquals(0, r.status(), r.toString());
    assertEquals(1, r.out().lines().count(), r.toString());
    assertTrue(r.out().contains("2024-01-01\\nfake-1") && r.out().contains("\\x1b[2J"), r.toString());
  }

  /**
   * A set whose archive holds a symbolic link (listed in its manifest with size 0): verify said it
   * was sound and restore sent it to the device, because commons-compress calls every entry but a
   * folder a file. Now verify names it and restore refuses before anything reaches the device.
   */
  @Test void aLinkInAnArchiveFailsVerifyAndRestoreSendsNothing() throws Exception {
    Path repoDir = tmp.resolve("repo");
    BackupRepository repo = new BackupRepository(repoDir);
    String name = "owners/org.example.notes/internal/files/link";
    String empty = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    Manifest m = new Manifest(Manifest.FORMAT, "set-link", null, "Demo", "2024-01-01T00:00:00Z", "backup-full", "base",
        List.of(new Manifest.Owner("org.example.notes", "passive", "ok", "",
            List.of(new Manifest.Volume("internal", List.of(new Manifest.Stream(name, "file", 0, empty, 0)))))));
    BackupRepository.IncompleteSet set = repo.begin();
    try (var out = Files.newOutputStream(set.archive());
         var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out, "UTF-8")) {
      var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name,
          org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
      link.setLinkName("/etc/shadow");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    set.commit(m, new SetRecord("set-link", "HOSTILE-1", "Hostile", "Device", "x", Files.size(set.archive())));

    FakeMtpDevice.Result verify = fails("verify", "--repo", repoDir.toString());
    assertTrue(verify.err().contains(name) && verify.err().contains("not a regular file"), verify.toString());
    device.backup = true;
    FakeMtpDevice.Result restore = fails("restore", "--repo", repoDir.toString());
    assertTrue(restore.err().contains("not a regular file"), restore.toString());
    assertTrue(device.operations.stream().noneMatch(op -> op >= 0x9A02 && op <= 0x9A07), "no backup session was opened: " + device.operations);
  }
}
