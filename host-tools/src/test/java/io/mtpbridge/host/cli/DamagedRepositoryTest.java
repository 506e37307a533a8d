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
}
