package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JNA finds libc in the folder of the libc the process runs on, without running ldconfig in a
 * child process (issue 11: a process start costs seconds on a small board or under emulation).
 */
class JnaLibraryPathTest {
  @TempDir Path dir;

  @Test
  void findsTheFolderOfTheMappedLibc() throws IOException {
    Path maps = dir.resolve("maps");
    Files.writeString(maps, String.join("\n",
        "7f1c2a000000-7f1c2a022000 r--p 00000000 08:01 131 /usr/lib/jvm/java-17/lib/server/libjvm.so",
        "7f1c2b000000-7f1c2b001000 rw-p 00000000 00:00 0 ",
        "7f1c2c000000-7f1c2c028000 r--p 00000000 08:01 2297 /usr/lib/aarch64-linux-gnu/libc.so.6",
        "7f1c2d000000-7f1c2d028000 r--p 00000000 08:01 2298 /usr/lib/x86_64-linux-gnu/libc.so.6",
        "7ffd3e000000-7ffd3e021000 rw-p 00000000 00:00 0 [stack]", ""));
    assertEquals("/usr/lib/aarch64-linux-gnu", JnaLibraryPath.libcFolder(maps));
    Files.writeString(maps, "b6e00000-b6f3f000 r-xp 00000000 b3:02 4115 /lib/arm-linux-gnueabihf/libc-2.28.so\n");
    assertEquals("/lib/arm-linux-gnueabihf", JnaLibraryPath.libcFolder(maps));
  }

  @Test
  void noLibcNoFolder() throws IOException {
    Path maps = dir.resolve("maps");
    Files.writeString(maps, String.join("\n",
        "7f1c2a000000-7f1c2a022000 r--p 00000000 08:01 131 /lib/ld-musl-x86_64.so.1",
        "7f1c2b000000-7f1c2b001000 r--p 00000000 08:01 132 /usr/lib/libcrypto.so.3",
        "7ffd3e000000-7ffd3e021000 rw-p 00000000 00:00 0 [stack]", ""));
    assertNull(JnaLibraryPath.libcFolder(maps));
    assertNull(JnaLibraryPath.libcFolder(dir.resolve("missing")));
  }

  @Test
  void thisProcessLibcIsFound() {
    String folder = JnaLibraryPath.libcFolder(Path.of("/proc/self/maps"));
    assumeTrue(folder != null, "no glibc mapped (another C library)");
    try (var files = Files.list(Path.of(folder))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("libc.so.")
          || f.getFileName().toString().startsWith("libc-")), folder);
    } catch (IOException e) {
      throw new AssertionError(folder + " cannot be listed", e);
    }
  }

  @Test
  void aFolderThePersonSetIsKept() {
    String before = System.getProperty(JnaLibraryPath.PROPERTY);
    try {
      System.setProperty(JnaLibraryPath.PROPERTY, "/opt/libs");
      JnaLibraryPath.setFromRunningLibc();
      assertEquals("/opt/libs", System.getProperty(JnaLibraryPath.PROPERTY));
    } finally {
      if (before == null) System.clearProperty(JnaLibraryPath.PROPERTY);
      else System.setProperty(JnaLibraryPath.PROPERTY, before);
    }
  }

  /** In a fresh JVM: syncfs is bound through the folder found, and no child process was started for it. */
  @Test
  void jnaBindsLibcWithoutLdconfig() throws Exception {
    assumeTrue(JnaLibraryPath.libcFolder(Path.of("/proc/self/maps")) != null, "no glibc mapped (another C library)");
    List<String> lines = child(true);
    assertTrue(lines.contains("bound: syncfs"), String.join("\n", lines));
    assertFalse(lines.stream().anyMatch(l -> l.contains("java.lang.ProcessImpl ")), "a child process was started");
    // the check can fail: without the property JNA starts ldconfig
    List<String> without = child(false);
    assertTrue(without.contains("bound: syncfs"), String.join("\n", without));
    assertTrue(without.stream().anyMatch(l -> l.contains("java.lang.ProcessImpl ")), "JNA no longer starts ldconfig?");
  }

  private List<String> child(boolean setPath) throws Exception {
    Path out = dir.resolve("child-" + setPath + ".txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
        "-cp", System.getProperty("java.class.path"), Child.class.getName(), Boolean.toString(setPath))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /** Binds syncfs as mtpd does, with or without the library path set first. */
  public static final class Child {
    public static void main(String[] args) {
      if (Boolean.parseBoolean(args[0])) JnaLibraryPath.setFromRunningLibc();
      System.out.println("bound: " + (Syncfs.orEachFile() instanceof Syncfs ? "syncfs" : "each file"));
    }
  }
}
