package io.mtpbridge.backup.fuzz;

import io.mtpbridge.backup.registration.Registration;
import io.mtpbridge.backup.registration.RegistrationException;
import io.mtpbridge.backup.registration.RegistrationParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any bytes give a registration or a RegistrationException with a reason, never anything else. */
class RegistrationParserFuzzTest {
  private static final String VALID = "<backup_registration owner=\"org.example.notes\" uid=\"0\">\n"
      + "  <passive_backup delete_before_restore=\"true\">\n"
      + "    <volume name=\"internal\"><include_directory name=\"notes\"/><exclude name=\"notes/cache\"/></volume>\n"
      + "  </passive_backup>\n  <restore requires_reboot=\"false\"/>\n</backup_registration>\n";
  private static final String[] PIECES = {"<", ">", "/>", "</volume>", "<volume name=\"sdcard\">", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
      "&e;", "\"", "uid=\"-1\"", "name=\"../etc\"", "<active_backup>", "callback_timeout_ms=\"99999999999\"", "\u0000", "<include_file name=\"/abs\"/>"};

  private final RegistrationParser parser = new RegistrationParser(Set.of("internal", "sdcard"));

  private void check(byte[] bytes) {
    try {
      Registration r = parser.parse(Path.of("fuzz.xml"), new ByteArrayInputStream(bytes));
      if (r.ownerId() == null || r.volumes().isEmpty()) throw new AssertionError("accepted an incomplete registration");
    } catch (RegistrationException expected) {
      if (expected.reason() == null || expected.reason().isBlank()) throw new AssertionError("no reason given");
    }
  }

  @Property(tries = 300)
  void arbitraryBytes(@ForAll byte[] bytes) { check(bytes); }

  @Property(tries = 400)
  void mutatedRegistrations(@ForAll("mutations") String xml) { check(xml.getBytes(StandardCharsets.UTF_8)); }

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, VALID.length());
    Arbitrary<Integer> len = Arbitraries.integers().between(0, 20);
    Arbitrary<String> piece = Arbitraries.of(PIECES);
    return net.jqwik.api.Combinators.combine(at, len, piece).as((a, l, p) -> {
      int end = Math.min(VALID.length(), a + l);
      return VALID.substring(0, a) + p + VALID.substring(end);
    });
  }
}
