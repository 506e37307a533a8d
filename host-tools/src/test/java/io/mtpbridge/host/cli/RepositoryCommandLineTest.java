package io.mtpbridge.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The repository commands' refusals: a repository the backup cannot write in, and prune's --keep. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepositoryCommandLineTest {
  @TempDir Path tmp;
  final FakeMtpDevice device = new FakeMtpDevice();

  private FakeMtpDevice.Result run(int status, String... args) {
    FakeMtpDevice.Result r = device.run(tmp.resolve("backups"), args);
    assertEquals(status, r.status(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r);
    assertTrue(r.err().startsWith("mtpbridge: "), r.toString());
    return r;
  }

  /** One line naming the repository folder and what to do; no backup session opened, nothing left in the repository. */
  private FakeMtpDevice.Result refusedNamingTheRepository(Path repo) throws Exception {
    device.backup = true;
    device.operations.clear();
    FakeMtpDevice.Result r = run(1, "backup", "--repo", repo.toString());
    assertTrue(r.err().contains("cannot write in the backup repository " + repo + " ("), r.toString());
    assertTrue(r.err().contains("--repo DIR"), "says what to do: " + r);
    assertFalse(r.err().contains(".incomplete-"), "never the hidden folder of the set being made: " + r);
    assertTrue(device.operations.stream().noneMatch(op -> op >= 0x9A02 && op <= 0x9A07), "no backup session: " + device.operations);
    return r;
  }

  /**
   * Before, a backup into a repository it could not write in failed with the file system's words
   * about the hidden .incomplete-... folder of the set it was about to make ("/repo/.incomplete-3f2a...:
   * permission denied"), a folder the person never made and can do nothing about.
   * Permissions do not stop root, so the cases here are ones that stop everyone (a file where a
   * folder of the path must be; a path the kernel refuses as too long once the set's folder is
   * added, which fails exactly where a read-only folder does), and a folder without write
   * permission where permissions stop the user running the test.
   */
  @Test void aRepositoryTheBackupCannotWriteInIsNamedWithWhatToDo() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    refusedNamingTheRepository(file.resolve("repo"));
    assertEquals("x", Files.readString(file));

    // the repository exists and its .lock can be made, but not the set's .incomplete-<hex> folder:
    // PATH_MAX (4096 with its NUL) is passed only by that longer name
    Path deep = tmp.toAbsolutePath();
    int target = 4085;
    while (deep.toString().length() < target - 250) deep = deep.resolve("d".repeat(200));
    deep = deep.resolve("r".repeat(target - deep.toString().length() - 1));
    assertEquals(target, deep.toString().length());
    Files.createDirectories(deep);
    refusedNamingTheRepository(deep);
    try (var left = Files.list(deep)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).toList());
    }

    Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      if (Files.isWritable(readOnly)) return; // root: permissions stop no write, the cases above stand for it
      FakeMtpDevice.Result r = refusedNamingTheRepository(readOnly);
      assertTrue(r.err().contains("(permission denied)"), r.toString());
      try (var left = Files.list(readOnly)) {
        assertEquals(0, left.count(), "nothing left behind");
      }
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** --keep below 1 (or none) is a wrong command line, exit 2, and removes nothing. */
  @Test void pruneNeedsAKeepOfAtLeastOne() throws Exception {
    Path repoDir = tmp.resolve("repo");
    BackupRepository repo = new BackupRepository(repoDir);
    BackupRepository.IncompleteSet set = repo.begin();
    Files.write(set.archive(), new byte[0]);
    set.commit(new Manifest(Manifest.FORMAT, "only", null, "Demo", "2024-01-01T00:00:00Z", "backup-full", "base", List.of()),
        new SetRecord("only", "SER", "Acme", "Phone", "x", 0));
    for (String keep : List.of("0", "-1")) {
      FakeMtpDevice.Result r = run(2, "prune", "--repo", repoDir.toString(), "--keep", keep);
      assertTrue(r.err().contains("--keep must be at least 1"), r.toString());
      assertEquals("", r.out(), r.toString());
    }
    FakeMtpDevice.Result missing = run(2, "prune", "--repo", repoDir.toString());
    assertTrue(missing.err().contains("--keep"), missing.toString());
    FakeMtpDevice.Result notANumber = run(2, "prune", "--repo", repoDir.toString(), "--keep", "all");
    assertTrue(notANumber.err().contains("--keep"), notANumber.toString());
    assertEquals(List.of("only"), repo.sets().stream().map(s -> s.id()).toList(), "nothing removed");
    FakeMtpDevice.Result one = device.run(tmp.resolve("backups"), "prune", "--repo", repoDir.toString(), "--keep", "1");
    assertEquals(0, one.status(), one.toString());
  }
}
