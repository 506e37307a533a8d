package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.demo.JournalOwner;
import io.mtpbridge.backup.demo.JournalOwnerMain;
import io.mtpbridge.backup.protocol.OwnerStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate owner process whose uid differs from its registration is refused. As root the
 * process really runs as another user (setpriv to nobody, 65534) against a registration for
 * root; otherwise it runs as ourselves against a registration naming another uid. Either way
 * the kernel-reported peer uid decides.
 *
 * <p>The other user must be able to load the owner's classes and reach the engine's socket,
 * whatever the checkout's path: the checkout may lie where nobody else may look (root's home, a
 * {@code mktemp -d} folder). So the classes are copied into a world-readable folder first.
 */
class WrongUidProcessTest {
  @TempDir Path junitTmp;

  @Test void ownerProcessWithAnotherUidIsRefused() throws Exception {
    int me = EngineFixture.MY_UID;
    boolean root0 = me == 0;
    Path setpriv = root0 ? onPath("setpriv") : null;
    Assumptions.assumeTrue(!root0 || setpriv != null,
        "setpriv (util-linux) is not installed, so the test cannot start a process as another user");
    Path tmp = reachableByEveryone(junitTmp);
    try {
      Path root = Files.createDirectories(tmp.resolve("device"));
      Path journalDir = Files.createDirectories(tmp.resolve("journal"));
      Files.setPosixFilePermissions(journalDir, PosixFilePermissions.fromString("rwxrwxrwx"));
      String classes = copyReadable(codeSource(JournalOwnerMain.class), tmp.resolve("owner-classes")) + java.io.File.pathSeparator
          + copyReadable(codeSource(io.mtpbridge.backup.client.ActiveBackupClient.class), tmp.resolve("client-classes"));
      try (EngineFixture fx = new EngineFixture(root)) {
        for (Path p : List.of(tmp, root)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        fx.registerActive(JournalOwner.OWNER_ID, root0 ? 0 : me + 1, true, 2000);
        fx.start(Duration.ofSeconds(1));
        List<String> cmd = new ArrayList<>();
        if (root0) cmd.addAll(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp", classes,
            JournalOwnerMain.class.getName(), "--socket", fx.socket.toString(), "--dir", journalDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "owner process did not end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("refused") && out.contains("registration names uid " + (root0 ? 0 : me + 1)), out);
        assertEquals(OwnerStatus.NOT_CONNECTED, fx.engine.owners().get(0).status());
      }
    } finally {
      if (!tmp.startsWith(junitTmp)) deleteTree(tmp);
    }
  }

  /**
   * A folder every user can reach: the test's own temp folder when all its ancestors let others
   * through, or else a new one under /tmp.
   */
  private static Path reachableByEveryone(Path tmp) throws IOException {
    for (Path p = tmp.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return Files.createTempDirectory(Path.of("/tmp"), "wrong-uid-");
      }
    }
    return tmp;
  }

  /** A copy of {@code from} (a class folder or a jar) under {@code to}, readable by every user. */
  private static Path copyReadable(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (Files.isRegularFile(from)) {
      Path jar = to.resolve(from.getFileName());
      Files.copy(from, jar, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
      return jar;
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path src : (Iterable<Path>) all::iterator) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    return to;
  }

  private static Path onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(p)) return p;
    }
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  /** The directory (or jar) holding {@code c}: the owner needs backup-demo and backup-client, nothing else. */
  private static Path codeSource(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
