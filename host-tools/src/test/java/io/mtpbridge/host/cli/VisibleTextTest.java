package io.mtpbridge.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class VisibleTextTest {
  @Test void escapesControlsAndBidiOverridesOnly() {
    assertEquals("caf\u00e9 \u65e5\u672c.txt", VisibleText.of("caf\u00e9 \u65e5\u672c.txt"));
    assertEquals("a\\x1b[2Jb\\nc\\td\\u202ee\\x85", VisibleText.of("a\u001b[2Jb\nc\td\u202ee\u0085"));
  }

  @Test void theStreamGuardKeepsLinesTabsAndProgressReturns() {
    assertEquals("a\tb\n", guarded("a\tb\n", false));
    assertEquals("\\x0d50%\\x1b[K\n", guarded("\r50%\u001b[K\n", false));
    assertEquals("\r50%\\x1b[K\n", guarded("\r50%\u001b[K\n", true));
    assertEquals("x\\x9by \u00e9\u00c2", guarded("x\u009by \u00e9\u00c2", false));
  }

  /** Whatever is printed, and however the bytes are split into writes, no control byte gets through. */
  @Property void nothingATerminalActsOnGetsThrough(@ForAll String s) {
    byte[] out = guarded(s, false).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < out.length; i++) {
      int b = out[i] & 0xFF;
      assertFalse(b < 0x20 && b != '\n' && b != '\t' || b == 0x7F, "byte " + b + " at " + i);
      if (b == 0xC2 && i + 1 < out.length) assertFalse((out[i + 1] & 0xFF) >= 0x80 && (out[i + 1] & 0xFF) <= 0x9F, "a C1 control");
    }
    String plain = s.codePoints().filter(c -> !Character.isISOControl(c) && !Character.isSurrogate((char) c) && c < 0x10000)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    assertEquals(plain, guarded(plain, false), "text without controls is untouched");
  }

  private static String guarded(String s, boolean carriageReturn) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = VisibleText.guard(new PrintStream(bytes, true, StandardCharsets.UTF_8), carriageReturn, StandardCharsets.UTF_8);
    byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < encoded.length; i += 3) out.write(encoded, i, Math.min(3, encoded.length - i)); // splits characters
    out.flush();
    assertTrue(!out.checkError());
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
