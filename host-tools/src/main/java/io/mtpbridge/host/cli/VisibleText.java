package io.mtpbridge.host.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Text from a device (names, serials, owner messages) and from local file names may hold control
 * characters: printed as they are, an escape sequence would drive the user's terminal (retitle it,
 * move the cursor, hide the rest of a line) and a newline would make one name look like two
 * entries. mtpbridge shows such characters as visible escapes instead ({@code \x1b}, {@code \n},
 * {@code \u202e}), in single values ({@link #of}) and, as a last guard, on its whole output
 * streams ({@link #guard}). JSON output is unaffected: its strings escape control characters
 * themselves.
 */
public final class VisibleText {
  private VisibleText() {}

  /** {@code s} with every control character and bidirectional override shown as an escape. */
  static String of(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!hidden(c)) {
        if (sb != null) sb.append(c);
        continue;
      }
      if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
      escape(sb, c);
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean hidden(char c) {
    return Character.getType(c) == Character.CONTROL
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069'); // embeddings, overrides, isolates
  }

  private static void escape(StringBuilder sb, char c) {
    switch (c) {
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      default -> sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
    }
  }

  /**
   * {@code out} behind a filter that escapes the control bytes a terminal acts on: C0 controls
   * but newline and tab (and carriage return when {@code carriageReturn}, for progress bars), DEL,
   * and the UTF-8 form of the C1 controls. Only whole characters are touched: bytes below 0x80
   * never occur inside a multi-byte UTF-8 sequence.
   */
  public static PrintStream guard(PrintStream out, boolean carriageReturn, Charset charset) {
    return new PrintStream(new ControlFilter(out, carriageReturn), true, charset);
  }

  private static final class ControlFilter extends FilterOutputStream {
    private final boolean carriageReturn;
    private boolean afterC2; // 0xC2 was the last byte: a C1 control if 0x80..0x9F follows

    ControlFilter(OutputStream out, boolean carriageReturn) {
      super(out);
      this.carriageReturn = carriageReturn;
    }

    @Override public void write(int b) throws IOException {
      b &= 0xFF;
      if (afterC2) {
        afterC2 = false;
        if (b >= 0x80 && b <= 0x9F) {
          out.write(String.format("\\x%02x", b).getBytes(StandardCharsets.US_ASCII));
          return;
        }
        out.write(0xC2);
      }
      if (b == 0xC2) {
        afterC2 = true;
      } else if ((b < 0x20 && b != '\n' && b != '\t' && !(carriageReturn && b == '\r')) || b == 0x7F) {
        out.write(String.format("\\x%02x", b).getBytes(StandardCharsets.US_ASCII));
      } else {
        out.write(b);
      }
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
      int start = off;
      int end = off + len;
      for (int i = off; i < end; i++) {
        int v = b[i] & 0xFF;
        if (!afterC2 && (v == '\n' || v == '\t' || v >= 0x20 && v != 0x7F && v != 0xC2)) continue;
        out.write(b, start, i - start);
        write(v);
        start = i + 1;
      }
      out.write(b, start, end - start);
    }

    @Override public void flush() throws IOException {
      out.flush();
    }

    @Override public void close() throws IOException {
      if (afterC2) out.write(0xC2);
      afterC2 = false;
      out.flush();
    }
  }
}
