package io.mtpbridge.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The repository's mtpbridge launcher and its class-data archive (command-line/launcher/cds.sh,
 * shared with mtpd's launcher), run as a person runs it, in a copy of the checkout's layout: a
 * valid archive is used, and an archive that is corrupt, made for another JVM or jar, or missing
 * never stops the program (it runs without; a missing one is made in the background for the
 * next run). The copy's folder has a space in its name, as a person's clone may. Runs after package (the shipped jar and class list), like {@link PackagedJarIT}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherCdsIT {
  @TempDir Path tmp;
  private Path checkout;
  private Path target;

  private record Run(int status, String output) {}

  @BeforeEach
  void copyOfTheCheckout() throws Exception {
    Path repo = Path.of(System.getProperty("mtpbridge.repo", "")).toAbsolutePath();
    Path jar = repo.resolve("host-tools/target/mtpbridge.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after package");
    // A space in the path, as in a clone under "~/My projects": the archive's option must stay one word.
    checkout = tmp.resolve("a checkout");
    target = Files.createDirectories(checkout.resolve("host-tools/target"));
    Files.createDirectories(checkout.resolve("command-line/launcher"));
    Files.copy(repo.resolve("mtpbridge"), checkout.resolve("mtpbridge"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(repo.resolve("command-line/launcher/cds.sh"), checkout.resolve("command-line/launcher/cds.sh"));
    Files.copy(jar, target.resolve("mtpbridge.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(repo.resolve("host-tools/target/mtpbridge.classlist"), target.resolve("mtpbridge.classlist"));
  }

  private Run mtpbridge(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(checkout.resolve("mtpbridge").toString()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("MTPBRIDGE_NO_BUILD", "1");
    pb.environment().put("MTPBRIDGE_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("MTPBRIDGE_CDS_DIR", tmp.resolve("the cache").toString());
    pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
    pb.environment().remove("MTPBRIDGE_JAVA_OPTS");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "mtpbridge " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), Files.readString(out));
  }

  private void assertRuns(Run r) {
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("mtpbridge 0."), r.output());
  }

  @Test void theShippedArchiveIsMadeForThisJvmAndJarAndUsed() throws Exception {
    Run made = mtpbridge(Map.of(), "--make-shipped-cds-archive");
    assertEquals(0, made.status(), made.output());
    assertTrue(Files.isRegularFile(target.resolve("mtpbridge.jsa")) && Files.isRegularFile(target.resolve("mtpbridge.jsa.key")));
    // -Xshare:on: the JVM refuses to start unless it maps the archive the launcher chose
    assertRuns(mtpbridge(Map.of("MTPBRIDGE_JAVA_OPTS", "-Xshare:on"), "--version"));
    assertFalse(Files.exists(tmp.resolve("the cache/mtpbridge.jsa")), "nothing made in the cache while the shipped archive fits");
  }

  @Test void aCorruptArchiveWithAMatchingKeyStillRuns() throws Exception {
    assertEquals(0, mtpbridge(Map.of(), "--make-shipped-cds-archive").status());
    byte[] garbage = new byte[64 * 1024];
    new java.util.Random(7).nextBytes(garbage);
    // the launcher leaves the archive read-only: replace it (the folder is ours), as root and as nobody
    Files.delete(target.resolve("mtpbridge.jsa"));
    Files.write(target.resolve("mtpbridge.jsa"), garbage);
    assertRuns(mtpbridge(Map.of(), "--version"));
  }

  @Test void anArchiveOfAnotherJvmOrJarIsNotUsedAndANewOneIsMadeForTheNextRun() throws Exception {
    assertEquals(0, mtpbridge(Map.of(), "--make-shipped-cds-archive").status());
    // the jar changed since (a rebuild): its size and time are in the key
    Files.delete(target.resolve("mtpbridge.jsa.key"));
    Files.writeString(target.resolve("mtpbridge.jsa.key"), "/usr/lib/jvm/other/bin/java " + target.resolve("mtpbridge.jar") + " 1 2 3 4\n");
    Run r = mtpbridge(Map.of("MTPBRIDGE_CDS_DELAY", "0"), "--version");
    assertRuns(r);
    assertTrue(r.output().contains("making") && r.output().contains("in the background"), r.output());
    Path made = tmp.resolve("the cache/mtpbridge.jsa");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
    while (!(Files.isRegularFile(made) && Files.isRegularFile(tmp.resolve("the cache/mtpbridge.jsa.key"))) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertTrue(Files.isRegularFile(made), "the background archive was not made in 200 s");
    assertRuns(mtpbridge(Map.of("MTPBRIDGE_JAVA_OPTS", "-Xshare:on"), "--version"));
  }

  @Test void withoutAnyArchiveOrUsableCacheFolderItRuns() throws Exception {
    // a cache folder that cannot be made (its parent is a file), even by root
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    assertRuns(mtpbridge(Map.of("MTPBRIDGE_CDS_DIR", file.resolve("cache").toString()), "--version"));
    assertRuns(mtpbridge(Map.of("MTPBRIDGE_CDS", "off"), "--version"));
    assertFalse(Files.exists(tmp.resolve("the cache")), "MTPBRIDGE_CDS=off makes nothing");
  }
}
