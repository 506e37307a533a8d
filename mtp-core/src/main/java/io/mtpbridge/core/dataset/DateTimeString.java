package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.ResponseCode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The PTP DateTime string, {@code YYYYMMDDThhmmss[.s][Z|±hhmm]}, as a local date-time and an
 * optional offset. Without a suffix the time is "floating" local time of the device, which is what
 * most hosts send and expect; {@link #toInstant(ZoneId)} resolves it in a zone the caller chooses.
 *
 * <p>Parsing is lenient about what real hosts vary: a lower-case {@code t} or {@code z}, any number
 * of fraction digits (1..9), an offset as {@code ±hh}, {@code ±hhmm} or {@code ±hh:mm}, and a bare
 * date {@code YYYYMMDD} (midnight). Anything else, including impossible dates and trailing text, is
 * rejected. Formatting writes the canonical form with at most one fraction digit (tenths).
 *
 * @param dateTime the wall-clock date and time
 * @param offset the offset written after the time, or null for floating local time
 */
public record DateTimeString(LocalDateTime dateTime, ZoneOffset offset) {
  /** Earliest and latest instants a four-digit year can name; {@link #local} and {@link #utc} clamp to them. */
  private static final Instant MIN = Instant.parse("0000-01-02T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-30T23:59:59Z");

  public DateTimeString {
    Objects.requireNonNull(dateTime, "dateTime");
    if (dateTime.getYear() < 0 || dateTime.getYear() > 9999) {
      throw new IllegalArgumentException("year " + dateTime.getYear() + " does not fit a DateTime string");
    }
  }

  /**
   * Floating local time of {@code instant} in {@code zone} (no suffix), as Android devices report.
   * Instants beyond years 0..9999 (a corrupt file time) are clamped.
   */
  public static DateTimeString local(Instant instant, ZoneId zone) {
    return new DateTimeString(LocalDateTime.ofInstant(clamp(instant), zone), null);
  }

  /** {@code instant} in UTC with the {@code Z} suffix (clamped like {@link #local}). */
  public static DateTimeString utc(Instant instant) {
    return new DateTimeString(LocalDateTime.ofInstant(clamp(instant), ZoneOffset.UTC), ZoneOffset.UTC);
  }

  private static Instant clamp(Instant instant) {
    return instant.isBefore(MIN) ? MIN : instant.isAfter(MAX) ? MAX : instant;
  }

  /** The instant this names; floating local times are read in {@code zoneForFloating}. */
  public Instant toInstant(ZoneId zoneForFloating) {
    return offset != null ? dateTime.toInstant(offset) : dateTime.atZone(zoneForFloating).toInstant();
  }

  /** The canonical wire form, e.g. {@code 20240131T235959.5+0100}. */
  public String format() {
    StringBuilder sb = new StringBuilder(22);
    pad(sb, dateTime.getYear(), 4);
    pad(sb, dateTime.getMonthValue(), 2);
    pad(sb, dateTime.getDayOfMonth(), 2);
    sb.append('T');
    pad(sb, dateTime.getHour(), 2);
    pad(sb, dateTime.getMinute(), 2);
    pad(sb, dateTime.getSecond(), 2);
    int tenths = dateTime.getNano() / 100_000_000;
    if (tenths != 0) sb.append('.').append(tenths);
    if (offset != null) {
      int seconds = offset.getTotalSeconds();
      if (seconds == 0) {
        sb.append('Z');
      } else {
        sb.append(seconds < 0 ? '-' : '+');
        int minutes = Math.abs(seconds) / 60;
        pad(sb, minutes / 60, 2);
        pad(sb, minutes % 60, 2);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() { return format(); }

  private static void pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) sb.append('0');
    sb.append(s);
  }

  /** Parses {@code s}, or empty when it is empty or not a DateTime string. */
  public static Optional<DateTimeString> tryParse(String s) {
    try {
      return s.isEmpty() ? Optional.empty() : Optional.of(parse(s));
    } catch (MalformedDatasetException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a DateTime string; a malformed one is an {@link ResponseCode#INVALID_OBJECT_PROP_VALUE}
   * failure (the usual context is a date property set by the host).
   */
  public static DateTimeString parse(String s) throws MalformedDatasetException {
    Cursor c = new Cursor(s);
    int year = c.digits(4);
    int month = c.digits(2);
    int day = c.digits(2);
    int hour = 0;
    int minute = 0;
    int second = 0;
    int nanos = 0;
    ZoneOffset offset = null;
    if (!c.atEnd()) {
      if (!c.take('T') && !c.take('t')) throw c.fail("expected 'T' after the date");
      hour = c.digits(2);
      minute = c.digits(2);
      second = c.digits(2);
      if (c.take('.')) nanos = c.fraction();
      offset = c.offset();
      if (!c.atEnd()) throw c.fail("unexpected text after the time");
    }
    try {
      return new DateTimeString(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
    } catch (DateTimeException e) {
      throw new MalformedDatasetException(ResponseCode.INVALID_OBJECT_PROP_VALUE,
          "not a valid date-time: \"" + s + "\": " + e.getMessage(), e);
    }
  }

  /** A small hand-written scanner: the grammar is tiny and a regex would hide the error position. */
  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) { this.s = s; }

    boolean atEnd() { return pos == s.length(); }

    boolean take(char ch) {
      if (pos < s.length() && s.charAt(pos) == ch) {
        pos++;
        return true;
      }
      return false;
    }

    int digits(int n) throws MalformedDatasetException {
      int value = 0;
      for (int i = 0; i < n; i++) {
        if (pos >= s.length() || !isDigit(s.charAt(pos))) throw fail("expected " + n + " digits");
        value = value * 10 + (s.charAt(pos++) - '0');
      }
      return value;
    }

    int fraction() throws MalformedDatasetException {
      int start = pos;
      int nanos = 0;
      int scale = 100_000_000;
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        if (pos - start >= 9) throw fail("more than 9 fraction digits");
        nanos += (s.charAt(pos++) - '0') * scale;
        scale /= 10;
      }
      if (pos == start) throw fail("expected fraction digits after '.'");
      return nanos;
    }

    ZoneOffset offset() throws MalformedDatasetException {
      if (take('Z') || take('z')) return ZoneOffset.UTC;
      int sign;
      if (take('+')) {
        sign = 1;
      } else if (take('-')) {
        sign = -1;
      } else {
        return null;
      }
      int hours = digits(2);
      int minutes = 0;
      if (!atEnd()) {
        take(':');
        minutes = digits(2);
      }
      if (minutes > 59) throw fail("offset minutes out of range");
      try {
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
      } catch (DateTimeException e) {
        throw fail("offset out of range");
      }
    }

    MalformedDatasetException fail(String why) {
      return new MalformedDatasetException(ResponseCode.INVALID_OBJECT_PROP_VALUE,
          "not a DateTime string (" + why + " at index " + pos + "): \"" + printable(s) + "\"");
    }

    private static boolean isDigit(char ch) { return ch >= '0' && ch <= '9'; }

    private static String printable(String s) {
      String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
      StringBuilder sb = new StringBuilder(cut.length());
      for (int i = 0; i < cut.length(); i++) {
        char ch = cut.charAt(i);
        if (ch < 0x20 || ch == 0x7F) sb.append(String.format("\\u%04x", (int) ch)); else sb.append(ch);
      }
      return sb.toString();
    }
  }
}
