package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ResponseCode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DateTimeStringTest {
  @Test
  void parsesTheCanonicalForms() throws Exception {
    DateTimeString plain = DateTimeString.parse("20240131T235958");
    assertEquals(LocalDateTime.of(2024, 1, 31, 23, 59, 58), plain.dateTime());
    assertNull(plain.offset());

    DateTimeString tenths = DateTimeString.parse("20240131T235958.5");
    assertEquals(500_000_000, tenths.dateTime().getNano());

    assertEquals(ZoneOffset.UTC, DateTimeString.parse("20240131T235958Z").offset());
    assertEquals(ZoneOffset.ofHoursMinutes(1, 30), DateTimeString.parse("20240131T235958+0130").offset());
    assertEquals(ZoneOffset.ofHoursMinutes(-5, 0), DateTimeString.parse("20240131T235958.0-0500").offset());
  }

  @Test
  void acceptsHostVariations() throws Exception {
    assertEquals(LocalDateTime.of(2024, 1, 31, 12, 0, 0), DateTimeString.parse("20240131t120000").dateTime());
    assertEquals(ZoneOffset.UTC, DateTimeString.parse("20240131T120000z").offset());
    assertEquals(123_456_789, DateTimeString.parse("20240131T120000.123456789").dateTime().getNano());
    assertEquals(ZoneOffset.ofHours(2), DateTimeString.parse("20240131T120000+02").offset());
    assertEquals(ZoneOffset.ofHoursMinutes(-3, -30), DateTimeString.parse("20240131T120000-03:30").offset());
    assertEquals(LocalDateTime.of(2024, 1, 31, 0, 0), DateTimeString.parse("20240131").dateTime());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2024", "20240131T", "20240131T1200", "20240131 120000", "20241331T120000",
      "20240230T120000", "20240131T250000", "20240131T120060", "20240131T120000.", "20240131T120000.1234567890",
      "20240131T120000+1900", "20240131T120000+0160", "20240131T120000Zjunk", "2024013aT120000", "20240131T120000\0",
      "+2024013T120000", "20240131T120000+", "20240131T120000+01:"})
  void rejectsGarbage(String s) {
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> DateTimeString.parse(s));
    assertEquals(ResponseCode.INVALID_OBJECT_PROP_VALUE, e.responseCode());
    assertTrue(DateTimeString.tryParse(s).isEmpty());
  }

  @Test
  void formatsCanonically() {
    Instant t = Instant.parse("2024-01-31T23:59:58.75Z");
    assertEquals("20240131T235958.7Z", DateTimeString.utc(t).format());
    assertEquals("20240201T005958.7", DateTimeString.local(t, ZoneId.of("Europe/Berlin")).format());
    assertEquals("00010101T000000-0130",
        new DateTimeString(LocalDateTime.of(1, 1, 1, 0, 0), ZoneOffset.ofHoursMinutes(-1, -30)).format());
  }

  @Test
  void resolvesToInstants() throws Exception {
    assertEquals(Instant.parse("2024-01-31T22:59:58Z"), DateTimeString.parse("20240131T235958+0100").toInstant(ZoneOffset.UTC));
    assertEquals(Instant.parse("2024-01-31T22:59:58Z"), DateTimeString.parse("20240131T235958").toInstant(ZoneId.of("Europe/Berlin")));
  }

  @Test
  void extremeInstantsAreClampedToFourDigitYears() {
    assertEquals("99991230T235959Z", DateTimeString.utc(Instant.MAX).format());
    assertEquals("00000102T000000Z", DateTimeString.utc(Instant.MIN).format());
    assertThrows(IllegalArgumentException.class, () -> new DateTimeString(LocalDateTime.of(10000, 1, 1, 0, 0), null));
  }

  @Test
  void roundTripsThroughText() throws Exception {
    for (String s : new String[] {"20240131T235958", "20240131T235958.5", "20240131T235958Z", "20240131T235958-0130"}) {
      assertEquals(s, DateTimeString.parse(s).format());
    }
  }
}
