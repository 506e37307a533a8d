package io.mtpbridge.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    return mtpbridge(Map.of(), List.of(), args);
  }

  private Run mtpbridge(Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    // its own, empty data home: nothing of the person running the build is read
    pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
    pb.environment().putAll(env);
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

  /**
   * usb4java's libusb loads whatever the cache folder for it is like (NativeLibraryCache): kept in
   * a private folder, replaced there when damaged, and loaded by usb4java's own loader where the
   * folder is not private. The command then lists devices, or (a machine without usbfs) says that
   * libusb cannot start; never that the library cannot be loaded.
   */
  @Test void usb4javasLibraryLoadsWhateverTheCacheFolderIsLike() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path privateTmp = Files.createDirectories(tmp.resolve("jtmp"));
    List<String> tmpdir = List.of("-Djava.io.tmpdir=" + privateTmp);
    assertLibusbLoaded(mtpbridge(Map.of("XDG_CACHE_HOME", cache.toString()), tmpdir, "devices"));
    Path lib;
    try (Stream<Path> s = Files.list(cache.resolve("mtpbridge/native"))) {
      lib = s.filter(p -> p.getFileName().toString().matches("libusb4java-[0-9a-f]{8}-[0-9]+\\.so")).findFirst().orElseThrow();
    }
    long size = Files.size(lib);
    // cut short (a full disk while it was written, say): written again, then loaded
    try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
      ch.truncate(size / 2);
    }
    assertLibusbLoaded(mtpbridge(Map.of("XDG_CACHE_HOME", cache.toString()), tmpdir, "devices"));
    assertEquals(size, Files.size(lib));
    // a cache home and a temp folder anyone may write to: neither is used, usb4java loads its own copy
    Path open = Files.createDirectories(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertLibusbLoaded(mtpbridge(Map.of("XDG_CACHE_HOME", open.toString()), List.of("-Djava.io.tmpdir=" + open), "devices"));
    assertFalse(Files.exists(open.resolve("mtpbridge")), "nothing cached in a folder anyone may write to");
  }

  private static void assertLibusbLoaded(Run r) {
    assertFalse(r.output().contains("cannot load"), r.output());
    assertTrue(r.status() == 0 || r.output().contains("cannot start libusb"), r.output());
  }
}
