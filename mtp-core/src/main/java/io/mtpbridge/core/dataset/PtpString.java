package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;

/**
 * The PTP string: one count byte giving the number of UTF-16 code units <em>including</em> the
 * terminating NUL, then the units little-endian. The empty string is the single byte 0 (no NUL).
 * At most 255 units including the NUL, so at most {@value #MAX_CHARS} UTF-16 units of text;
 * characters outside the BMP take two units (a surrogate pair) and are kept as such.
 *
 * <p>Decoding is strict: a count beyond the readable bytes, a missing final NUL, a NUL inside the
 * text, or an unpaired surrogate is a {@link MalformedDatasetException} ({@code InvalidDataset}).
 *
 * <p>Encoding a string that cannot be represented (longer than {@value #MAX_CHARS} units, containing
 * NUL or an unpaired surrogate) throws {@link IllegalArgumentException}: these are programming
 * errors, because callers validate names from the host and from the file system before they reach
 * a dataset. Use {@link #isEncodable} to check first.
 */
public final class PtpString {
  /** Most UTF-16 units of text a PTP string holds (255 minus the NUL). */
  public static final int MAX_CHARS = 254;

  private PtpString() {}

  /** Bytes {@link #encode} writes for {@code s}. */
  public static int encodedLength(String s) {
    return s.isEmpty() ? 1 : 1 + 2 * (s.length() + 1);
  }

  /** True when {@code s} can be written as a PTP string. */
  public static boolean isEncodable(String s) {
    return problem(s) == null;
  }

  public static void encode(String s, ByteBuf out) {
    int n = s.length();
    if (n == 0) {
      out.writeByte(0);
      return;
    }
    if (n > MAX_CHARS) throw new IllegalArgumentException(problem(s));
    // One pass that writes and checks (a listing encodes a few names per object): anything a PTP
    // string cannot hold is found before the writer index moves, so a refused string writes nothing.
    out.ensureWritable(encodedLength(s));
    if (out.hasArray()) {
      encodeIntoArray(s, out);
      return;
    }
    int at = out.writerIndex();
    out.setByte(at++, n + 1);
    for (int i = 0; i < n; i++, at += 2) {
      char c = s.charAt(i);
      if (c == 0 || Character.isSurrogate(c)) {
        if (c == 0 || !pairedAt(s, i)) throw new IllegalArgumentException(problem(s));
        out.setShortLE(at, c);
        out.setShortLE(at + 2, s.charAt(++i));
        at += 2;
        continue;
      }
      out.setShortLE(at, c);
    }
    out.setShortLE(at, 0);
    out.writerIndex(at + 2);
  }

  /**
   * {@link #encode} straight into a heap buffer's array (room already ensured): the same bytes,
   * without a bounds-checked buffer call per character.
   */
  private static void encodeIntoArray(String s, ByteBuf out) {
    int n = s.length();
    byte[] a = out.array();
    int at = out.arrayOffset() + out.writerIndex();
    a[at++] = (byte) (n + 1);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == 0 || Character.isSurrogate(c)) {
        if (c == 0 || !pairedAt(s, i)) throw new IllegalArgumentException(problem(s));
        a[at++] = (byte) c;
        a[at++] = (byte) (c >>> 8);
        c = s.charAt(++i);
      }
      a[at++] = (byte) c;
      a[at++] = (byte) (c >>> 8);
    }
    a[at++] = 0;
    a[at++] = 0;
    out.writerIndex(at - out.arrayOffset());
  }

  /** True when the high surrogate at {@code i} is followed by a low one. */
  private static boolean pairedAt(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
  }

  public static String decode(ByteBuf in) throws MalformedDatasetException {
    return decode(in, ResponseCode.INVALID_DATASET);
  }

  /**
   * Decodes with {@code contentError} as the code for a complete but invalid string (a truncated
   * one is always {@code InvalidDataset}).
   */
  static String decode(ByteBuf in, ResponseCode contentError) throws MalformedDatasetException {
    int units = Wire.u8(in, "string length");
    if (units == 0) return "";
    Wire.need(in, 2L * units, "string of " + units + " UTF-16 units");
    char[] chars = new char[units - 1];
    for (int i = 0; i < chars.length; i++) {
      char c = (char) in.readUnsignedShortLE();
      if (c == 0) throw invalid(contentError, "string has a NUL at unit " + i + " of " + units);
      chars[i] = c;
    }
    if (in.readUnsignedShortLE() != 0) throw invalid(contentError, "string of " + units + " units does not end with NUL");
    String s = new String(chars);
    int bad = unpairedSurrogate(s);
    if (bad >= 0) throw invalid(contentError, "string has an unpaired surrogate at unit " + bad);
    return s;
  }

  private static MalformedDatasetException invalid(ResponseCode code, String message) {
    return new MalformedDatasetException(code, message);
  }

  private static String problem(String s) {
    if (s.length() > MAX_CHARS) {
      return "string of " + s.length() + " UTF-16 units exceeds the PTP limit of " + MAX_CHARS;
    }
    if (s.indexOf('\0') >= 0) return "string contains NUL";
    int bad = unpairedSurrogate(s);
    if (bad >= 0) return "string has an unpaired surrogate at index " + bad;
    return null;
  }

  /** Index of the first surrogate not part of a high+low pair, or -1. */
  static int unpairedSurrogate(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
