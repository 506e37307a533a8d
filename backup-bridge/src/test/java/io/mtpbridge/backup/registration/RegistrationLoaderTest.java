package io.mtpbridge.backup.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad registration files are reported with file, line and reason; the good ones still load. */
class RegistrationLoaderTest {
  @TempDir Path dir;

  @Test void badFilesAreReportedAndLeftOut() throws Exception {
    Files.writeString(dir.resolve("a-good.xml"), "<backup_registration owner=\"org.example.journal\" uid=\"root\">\n"
        + "  <active_backup supports_incremental=\"true\" callback_timeout_ms=\"1500\">\n"
        + "    <volume name=\"internal\"/>\n  </active_backup>\n  <restore requires_reboot=\"true\"/>\n</backup_registration>\n");
    Files.writeString(dir.resolve("b-typo.xml"), "<backup_registration owner=\"org.example.x\" uid=\"0\">\n"
        + "  <passive_backup>\n"
        + "    <volume name=\"internal\"><include_directoy name=\"x\"/></volume>\n"
        + "  </passive_backup>\n</backup_registration>\n");
    Files.writeString(dir.resolve("c-xxe.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        + "<backup_registration owner=\"&e;\" uid=\"0\"/>\n");
    Files.writeString(dir.resolve("d-escape.xml"), "<backup_registration owner=\"org.example.y\" uid=\"0\">\n"
        + "  <passive_backup>\n    <volume name=\"internal\">\n      <include_directory name=\"../../etc\"/>\n"
        + "    </volume>\n  </passive_backup>\n</backup_registration>\n");
    Files.writeString(dir.resolve("e-volume.xml"), "<backup_registration owner=\"org.example.z\" uid=\"0\">\n"
        + "  <active_backup><volume name=\"moon\"/></active_backup>\n</backup_registration>\n");
    Files.writeString(dir.resolve("f-dup.xml"), "<backup_registration owner=\"org.example.journal\" uid=\"0\">\n"
        + "  <active_backup><volume name=\"internal\"/></active_backup>\n</backup_registration>\n");
    Files.writeString(dir.resolve("g-uid.xml"), "<backup_registration owner=\"org.example.u\" uid=\"no-such-user-here\">\n"
        + "  <active_backup><volume name=\"internal\"/></active_backup>\n</backup_registration>\n");

    RegistrationLoader.Result r = RegistrationLoader.load(dir, Set.of("internal", "sdcard"));

    assertEquals(1, r.registrations().size());
    Registration good = r.registrations().get(0);
    assertEquals("org.example.journal", good.ownerId());
    assertEquals(0, good.uid(), "user name resolved to its uid");
    assertTrue(good.supportsIncremental());
    assertTrue(good.requiresReboot());
    assertEquals(Duration.ofMillis(1500), good.active().orElseThrow().callbackTimeout());
    assertEquals(List.of("internal"), good.volumes());

    assertEquals(6, r.problems().size(), r.problems().toString());
    RegistrationException typo = problem(r, "b-typo.xml");
    assertEquals(3, typo.line());
    assertTrue(typo.reason().contains("include_directoy"), typo.reason());
    assertTrue(problem(r, "c-xxe.xml").reason().contains("DOCTYPE"), problem(r, "c-xxe.xml").reason());
    assertEquals(4, problem(r, "d-escape.xml").line());
    assertTrue(problem(r, "e-volume.xml").reason().contains("not configured"));
    assertTrue(problem(r, "f-dup.xml").reason().contains("already registered"));
    assertTrue(problem(r, "g-uid.xml").reason().contains("neither a number nor a known user"));
    for (RegistrationException e : r.problems()) assertFalse(e.getMessage().isBlank());
  }

  private static RegistrationException problem(RegistrationLoader.Result r, String file) {
    return r.problems().stream().filter(p -> p.file().getFileName().toString().equals(file)).findFirst().orElseThrow();
  }
}
