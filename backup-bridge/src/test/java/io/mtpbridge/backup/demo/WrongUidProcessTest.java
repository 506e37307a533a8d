package io.mtpbridge.backup.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.engine.EngineFixture;
import io.mtpbridge.backup.protocol.OwnerStatus;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate owner process whose uid differs from its registration is refused. As root the
 * process really runs as another user (setpriv to nobody, 65534) against a registration for
 * root; otherwise it runs as ourselves against a registration naming another uid. Either way
 * the kernel-reported peer uid decides.
 */
class WrongUidProcessTest {
  @TempDir Path tmp;

  @Test void ownerProcessWithAnotherUidIsRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("device"));
    // nobody must reach the socket and its journal directory
    for (Path p : List.of(tmp, root)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path journalDir = Files.createDirectories(tmp.resolve("journal"));
    Files.setPosixFilePermissions(journalDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    int me = (Integer) Files.getAttribute(tmp, "unix:uid");
    boolean root0 = me == 0;
    try (EngineFixture fx = new EngineFixture(root)) {
      fx.registerActive(JournalOwner.OWNER_ID, root0 ? 0 : me + 1, true, 2000);
      fx.start(Duration.ofSeconds(1));
      List<String> cmd = new ArrayList<>();
      if (root0) cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp", ownClasses(),
          JournalOwnerMain.class.getName(), "--socket", fx.socket.toString(), "--dir", journalDir.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "owner process did not end");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, p.exitValue(), out);
      assertTrue(out.contains("refused") && out.contains("registration names uid " + (root0 ? 0 : me + 1)), out);
      assertEquals(OwnerStatus.NOT_CONNECTED, fx.engine.owners().get(0).status());
    }
  }

  /** The directory (or jar) holding this module's classes: the owner needs nothing else. */
  private static String ownClasses() throws Exception {
    File f = new File(JournalOwnerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return f.getPath();
  }
}
