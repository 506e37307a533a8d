package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar holds the classes this build compiled, not an earlier build's. mtpd.jar is
 * shaded in place: when the jar plugin kept the previous (already shaded) mtpd.jar because
 * mtp-device's own classes had not changed, the shade plugin merged the new mtp-core into it and
 * kept the old jar's copies, so a second `mvn package` after a change in mtp-core shipped the old
 * mtp-core (the parent pom's forceCreation). Runs after package: every class compiled in this
 * reactor for mtpd must be in mtpd.jar byte for byte.
 */
class ShadedJarIT {
  private static final List<String> MODULES = List.of("mtp-core", "mtp-usb-transport", "backup-bridge", "command-line", "mtp-device");

  @Test
  void mtpdJarHoldsTheClassesOfThisBuild() throws IOException {
    Path repo = Path.of(System.getProperty("mtpbridge.repo", "")).toAbsolutePath();
    Path jar = repo.resolve("mtp-device/target/mtpd.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after package");
    List<String> stale = new ArrayList<>();
    int compared = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String module : MODULES) {
        Path classes = repo.resolve(module).resolve("target/classes");
        assertTrue(Files.isDirectory(classes), classes + " is missing");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
          files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
          String name = classes.relativize(file).toString().replace('\\', '/');
          ZipEntry entry = zip.getEntry(name);
          byte[] inJar = null;
          if (entry != null) {
            try (InputStream in = zip.getInputStream(entry)) { inJar = in.readAllBytes(); }
          }
          if (!Arrays.equals(Files.readAllBytes(file), inJar)) stale.add(module + ": " + name);
          compared++;
        }
      }
    }
    assertTrue(compared > 100, "only " + compared + " classes compared");
    assertEquals(List.of(), stale, "mtpd.jar holds other versions of these classes than this build compiled");
  }
}
