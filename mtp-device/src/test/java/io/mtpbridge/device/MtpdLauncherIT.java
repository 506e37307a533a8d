package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mtpd's launcher (bin/mtpd) as installed or checked out in a folder whose path has spaces (a
 * clone under "~/My projects", an install prefix with a space): its class-data archive option
 * must reach the JVM as one word, or the JVM takes the rest of the path for the main class and
 * mtpd does not start at all. Runs after package, on the shipped jar and class list.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MtpdLauncherIT {
  @TempDir Path tmp;
  private Path checkout;

  private record Run(int status, String output) {}

  @BeforeEach
  void copyOfTheCheckoutInAFolderWithSpaces() throws Exception {
    Path repo = Path.of(System.getProperty("mtpbridge.repo", "")).toAbsolutePath();
    Path jar = repo.resolve("mtp-device/target/mtpd.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after package");
    checkout = tmp.resolve("my projects/mtp bridge");
    Path target = Files.createDirectories(checkout.resolve("mtp-device/target"));
    Files.createDirectories(checkout.resolve("mtp-device/bin"));
    Files.createDirectories(checkout.resolve("command-line/launcher"));
    Files.copy(repo.resolve("mtp-device/bin/mtpd"), checkout.resolve("mtp-device/bin/mtpd"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(repo.resolve("command-line/launcher/cds.sh"), checkout.resolve("command-line/launcher/cds.sh"));
    Files.copy(jar, target.resolve("mtpd.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(repo.resolve("mtp-device/target/mtpd.classlist"), target.resolve("mtpd.classlist"));
  }

  private Run mtpd(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(checkout.resolve("mtp-device/bin/mtpd").toString()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("MTPD_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("MTPD_CDS_DIR", tmp.resolve("the cache").toString());
    pb.environment().remove("MTPD_JAR");
    pb.environment().remove("MTPD_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "mtpd " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), Files.readString(out));
  }

  @Test void theShippedArchiveIsUsedFromAPathWithSpaces() throws Exception {
    Run made = mtpd(Map.of(), "--make-shipped-cds-archive");
    assertEquals(0, made.status(), made.output());
    Path archive = checkout.resolve("mtp-device/target/mtpd.jsa");
    assertTrue(Files.isRegularFile(archive), made.output());
    Run r = mtpd(Map.of("MTPD_JAVA_OPTS", "-Xshare:on -Xlog:cds=info"), "--version");
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("mtpd 0."), r.output());
    assertTrue(r.output().contains("Opened archive " + archive), "the launcher's archive was not the one mapped: " + r.output());
  }

  @Test void anArchiveMadeInACacheFolderWithSpacesIsUsedNextTime() throws Exception {
    Run first = mtpd(Map.of("MTPD_CDS_DELAY", "0"), "--version");
    assertEquals(0, first.status(), first.output());
    Path made = tmp.resolve("the cache/mtpd.jsa");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
    while (!(Files.isRegularFile(made) && Files.isRegularFile(tmp.resolve("the cache/mtpd.jsa.key"))) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertTrue(Files.isRegularFile(made), "the background archive was not made in 200 s: " + first.output());
    Run r = mtpd(Map.of("MTPD_JAVA_OPTS", "-Xshare:on -Xlog:cds=info"), "--version");
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("Opened archive " + made), "the cache's archive was not the one mapped: " + r.output());
  }
}
