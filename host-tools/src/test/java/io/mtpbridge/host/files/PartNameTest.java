package io.mtpbridge.host.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.dataset.PtpString;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PartNameTest {
  @Test void aShortNameKeepsItsWholeNameAndTag() {
    assertEquals(".song.mp3.1a2b.mtpbridge-part", PartName.of("song.mp3", "1a2b"));
    assertEquals(".song.mp3.mtpbridge-part", PartName.of("song.mp3", ""));
  }

  @Test void aLongNameIsCutToItsOwnLength() {
    String name = "x".repeat(254);
    String part = PartName.of(name, "deadbeef");
    assertEquals(254, part.length());
    assertTrue(part.startsWith(".xxx") && part.endsWith(".deadbeef.mtpbridge-part"), part);
  }

  @Test void aSurrogatePairIsNeverSplit() {
    String name = "\uD83D\uDE00".repeat(100); // 200 units, 400 bytes (more than a file system holds)
    String part = PartName.of(name, "");
    assertTrue(PtpString.isEncodable(part), part);
    assertTrue(part.getBytes(StandardCharsets.UTF_8).length <= 400);
  }

  @Property void neverLongerThanTheNameUnlessBothAreShort(@ForAll @StringLength(min = 1, max = 254) String name) {
    if (!PtpString.isEncodable(name)) return;
    String part = PartName.of(name, "0123abcd");
    assertTrue(part.length() <= Math.max(name.length(), 64), part);
    assertTrue(bytes(part) <= Math.max(bytes(name), 64), part);
    assertTrue(PtpString.isEncodable(part), part);
    assertTrue(part.startsWith(".") && part.endsWith(".0123abcd" + PartName.SUFFIX), part);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
