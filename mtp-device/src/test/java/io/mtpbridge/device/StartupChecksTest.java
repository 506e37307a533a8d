package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.responder.DeviceIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What mtpd refuses at start with one line instead of failing later: a locale whose file-name
 * encoding is not UTF-8 (Java 17 cannot even name "café.jpg" then), device strings an MTP string
 * cannot hold, and a missing serial on a machine without a machine-id. And the gadget script's
 * default USB serial is mtpd's default DeviceInfo serial.
 */
class StartupChecksTest {
  @TempDir Path dir;

  private record Run(int status, String err) {}

  /** mtpd in a child JVM with the given locale variables (all others removed). */
  private Run mtpdWithLocale(Map<String, String> locale, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Mtpd.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_"));
    pb.environment().putAll(locale);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), err);
  }

  @Test
  void underTheCLocaleMtpdRefusesWithOneLine() throws Exception {
    Path cafe = Files.createDirectories(dir.resolve("café"));
    Files.writeString(cafe.resolve("café.jpg"), "photo");
    String[] args = {"--functionfs", dir.resolve("ffs").toString(), "--storage", "Files=" + cafe};
    for (Map<String, String> locale : List.of(Map.of("LC_ALL", "C"), Map.<String, String>of(), Map.of("LANG", "POSIX"))) {
      Run r = mtpdWithLocale(locale, args);
      assertEquals(1, r.status(), locale + ": " + r.err());
      assertEquals(1, r.err().lines().count(), "one line: " + r.err());
      assertTrue(r.err().startsWith("mtpd: file names need a UTF-8 locale") && r.err().contains("LC_ALL=C.UTF-8"), r.err());
    }
    // the help and the version need no file names: they work under any locale
    Run version = mtpdWithLocale(Map.of("LC_ALL", "C"), "--version");
    assertEquals(0, version.status(), version.err());
    // the same mtpd under a UTF-8 locale opens the storage "café" and gets as far as FunctionFS
    Run ok = mtpdWithLocale(Map.of("LC_ALL", "C.UTF-8"), args);
    assertEquals(1, ok.status(), ok.err());
    assertFalse(ok.err().contains("locale"), ok.err());
    assertTrue(ok.err().contains(dir.resolve("ffs").toString()), "it failed at the FunctionFS directory: " + ok.err());
  }

  private static int run(ByteArrayOutputStream err, String... args) {
    return Mtpd.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void deviceStringsAnMtpStringCannotHoldAreRefusedAtStart() {
    for (String option : List.of("--model", "--manufacturer", "--serial", "--device-version", "--friendly-name")) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = run(err, "--functionfs", dir.resolve("ffs").toString(), "--storage", "A=" + dir, option, "x".repeat(300));
      String text = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, status, option + ": " + text);
      assertEquals(1, text.lines().count(), text);
      assertTrue(text.startsWith("mtpd: " + option + " is 300 UTF-16 units long"), text);
    }
  }

  @Test
  void withoutAMachineIdTheSerialIsRequired() {
    String[] args = {"--functionfs", dir.toString(), "--storage", "A=" + dir};
    UsageException e = assertThrows(UsageException.class, () -> MtpdCommandLine.parse(args, () -> null));
    assertTrue(e.getMessage().contains("give --serial"), e.getMessage());
  }

  @Test
  void theGadgetsDefaultUsbSerialIsMtpdsDefaultSerial() throws IOException, InterruptedException {
    Path script = Path.of("..", "udev-rules", "gadget", "mtp-gadget").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(script), script.toString());
    Process p = new ProcessBuilder("bash", script.toString(), "default-serial").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    Optional<String> mtpd = DeviceIdentity.machineSerial();
    if (mtpd.isPresent()) {
      assertEquals(0, status, err);
      assertEquals(mtpd.get(), out);
      assertEquals(mtpd.get(), MtpdCommandLine.machineSerial());
    } else {
      assertEquals(1, status, "no machine-id: the script refuses too");
      assertTrue(err.contains("MTP_GADGET_SERIAL"), err);
    }
  }
}
