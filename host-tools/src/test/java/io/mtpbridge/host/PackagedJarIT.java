package io.mtpbridge.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as shipped (target/mtpbridge.jar, after {@code package}) in its own JVM,
 * reading a tar through commons-compress: the unit tests run on Maven's class path, where
 * dependency versions can differ from what the shade plugin packed. mtpbridge.jar once carried
 * commons-lang3 3.8.1 (usb4java's, nearest wins) where commons-compress 1.28 needs 3.18, and every
 * backup failed in the VM with NoClassDefFoundError while no in-JVM test saw it. Run by
 * surefire's {@code packaged-jar} execution in the integration-test phase (host-tools/pom.xml).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PackagedJarIT {
  @TempDir Path tmp;

  private static Path jar() {
    String p = System.getProperty("mtpbridge.jar");
    assertTrue(p != null, "the mtpbridge.jar system property is set by host-tools/pom.xml's packaged-jar execution");
    Path jar = Path.of(p);
    assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after package");
    return jar;
  }

  private record Run(int status, String output) {}

  private Run mtpbridge(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    // its own, empty data home: nothing of the person running the build is read
    pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
    Process p = pb.start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "mtpbridge " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), Files.readString(out));
  }

  @Test void thePackagedJarVerifiesARepositoryAndCatchesAFlippedByte() throws Exception {
    Path repo = SampleRepository.withOneSet(tmp.resolve("repo"));
    Run ok = mtpbridge("verify", "--repo", repo.toString());
    assertEquals(0, ok.status(), "mtpbridge.jar verify of a good set: " + ok.output());
    assertTrue(ok.output().contains("verified"), ok.output());

    Path archive;
    try (var sets = Files.list(repo)) {
      archive = sets.filter(Files::isDirectory).findFirst().orElseThrow().resolve("backup.tar");
    }
    try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // the first entry's data starts after its 512-byte header: flip its first byte
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, 512);
      b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
      ch.write(b, 512);
    }
    Run bad = mtpbridge("verify", "--repo", repo.toString());
    assertEquals(1, bad.status(), "a flipped byte fails verify: " + bad.output());
    assertTrue(bad.output().contains("SHA-256 differs") && bad.output().contains("notes/a.txt"), bad.output());
    assertEquals(1, bad.output().lines().count(), "one line: " + bad.output());
  }
}
