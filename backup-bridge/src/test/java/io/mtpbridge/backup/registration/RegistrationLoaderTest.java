package io.mtpbridge.backup.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    Files.writeString(dir.resolve("f-dup.xml"), "<backup_registration owner=\"org.example.twice\" uid=\"0\">\n"
        + "  <active_backup><volume name=\"internal\"/></active_backup>\n</backup_registration>\n");
    Files.writeString(dir.resolve("f2-dup.xml"), "<backup_registration owner=\"org.example.twice\" uid=\"0\">\n"
        + "  <active_backup><volume name=\"internal\"/></active_backup>\n</backup_registration>\n");
    Files.writeString(dir.resolve("g-uid.xml"), "<backup_registration owner=\"org.example.u\" uid=\"no-such-user-here\">\n"
        + "  <active_backup><volume name=\"internal\"/></active_backup>\n</backup_registration>\n");

    trust(dir);
    RegistrationLoader.Result r = RegistrationLoader.load(dir, Set.of("internal", "sdcard"));

    assertEquals(1, r.registrations().size());
    Registration good = r.registrations().get(0);
    assertEquals("org.example.journal", good.ownerId());
    assertEquals(0, good.uid(), "user name resolved to its uid");
    assertTrue(good.supportsIncremental());
    assertTrue(good.requiresReboot());
    assertEquals(Duration.ofMillis(1500), good.active().orElseThrow().callbackTimeout());
    assertEquals(List.of("internal"), good.volumes());

    assertEquals(7, r.problems().size(), r.problems().toString());
    RegistrationException typo = problem(r, "b-typo.xml");
    assertEquals(3, typo.line());
    assertTrue(typo.reason().contains("include_directoy"), typo.reason());
    assertTrue(problem(r, "c-xxe.xml").reason().contains("DOCTYPE"), problem(r, "c-xxe.xml").reason());
    assertEquals(4, problem(r, "d-escape.xml").line());
    assertTrue(problem(r, "e-volume.xml").reason().contains("not configured"));
    assertTrue(problem(r, "f-dup.xml").reason().contains("registered by 2 files"), problem(r, "f-dup.xml").reason());
    assertTrue(problem(r, "f2-dup.xml").reason().contains("registered by 2 files"), "a duplicate id is refused for both files, not won by name order");
    assertTrue(problem(r, "g-uid.xml").reason().contains("neither a number nor a known user"));
    for (RegistrationException e : r.problems()) assertFalse(e.getMessage().isBlank());
  }

  private static String passive(String id, String volumeBody) {
    return "<backup_registration owner=\"" + id + "\" uid=\"0\">\n  <passive_backup>\n    <volume name=\"internal\">" + volumeBody
        + "</volume>\n  </passive_backup>\n</backup_registration>\n";
  }

  /** Modes a registration folder must have whatever the umask: writable by its owner only. */
  private static void trust(Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test void overlappingPassivePathsLeaveBothOwnersOut() throws Exception {
    Files.writeString(dir.resolve("a.xml"), passive("org.example.a", "<include_directory name=\"data\"/>"));
    Files.writeString(dir.resolve("b.xml"), passive("org.example.b", "<include_directory name=\"data/b\"/>"));
    Files.writeString(dir.resolve("c.xml"), passive("org.example.c", "<include_directory name=\"shared\"/><exclude name=\"shared/d\"/>"));
    Files.writeString(dir.resolve("d.xml"), passive("org.example.d", "<include_file name=\"shared/d\"/>"));
    Files.writeString(dir.resolve("e.xml"), passive("org.example.e", "<include_file name=\"e.conf\"/>"));
    trust(dir);
    RegistrationLoader.Result r = RegistrationLoader.load(dir, Set.of("internal"));
    assertEquals(List.of("org.example.c", "org.example.d", "org.example.e"), r.registrations().stream().map(Registration::ownerId).toList(),
        "an excluded path may belong to another owner");
    assertTrue(problem(r, "a.xml").reason().contains("overlap") && problem(r, "a.xml").reason().contains("org.example.b"), r.problems().toString());
    assertTrue(problem(r, "b.xml").reason().contains("overlap") && problem(r, "b.xml").reason().contains("org.example.a"), r.problems().toString());
  }

  @Test void registrationsOthersMayChangeAreRefused() throws Exception {
    Files.writeString(dir.resolve("a.xml"), passive("org.example.a", "<include_directory name=\"a\"/>"));
    Files.writeString(dir.resolve("b.xml"), passive("org.example.b", "<include_directory name=\"b\"/>"));
    trust(dir);
    Files.setPosixFilePermissions(dir.resolve("b.xml"), PosixFilePermissions.fromString("rw-rw-r--"));
    RegistrationLoader.Result r = RegistrationLoader.load(dir, Set.of("internal"));
    assertEquals(List.of("org.example.a"), r.registrations().stream().map(Registration::ownerId).toList());
    assertTrue(problem(r, "b.xml").reason().contains("writable by its group"), problem(r, "b.xml").reason());

    Files.setPosixFilePermissions(dir.resolve("b.xml"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    r = RegistrationLoader.load(dir, Set.of("internal"));
    assertEquals(List.of(), r.registrations(), "nothing loads from a folder everyone may write to");
    assertTrue(problem(r, "a.xml").reason().contains("registration folder"), problem(r, "a.xml").reason());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    if (RegistrationLoader.engineUid() == 0) {
      Files.setAttribute(dir.resolve("b.xml"), "unix:uid", 4242);
      r = RegistrationLoader.load(dir, Set.of("internal"));
      assertEquals(List.of("org.example.a"), r.registrations().stream().map(Registration::ownerId).toList());
      assertTrue(problem(r, "b.xml").reason().contains("belongs to uid 4242"), problem(r, "b.xml").reason());
    }
    Files.createSymbolicLink(dir.resolve("c.xml"), dir.resolve("a.xml"));
    r = RegistrationLoader.load(dir, Set.of("internal"));
    assertTrue(problem(r, "c.xml").reason().contains("symbolic"), problem(r, "c.xml").reason());
  }

  private static RegistrationException problem(RegistrationLoader.Result r, String file) {
    return r.problems().stream().filter(p -> p.file().getFileName().toString().equals(file)).findFirst().orElseThrow();
  }
}
