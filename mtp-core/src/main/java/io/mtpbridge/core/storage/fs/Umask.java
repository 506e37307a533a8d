package io.mtpbridge.core.storage.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process's file-mode creation mask. Uploads are written to owner-only temporary files and
 * then given the mode a normal creation would have had, which needs the umask; Java has no call
 * for it, Linux shows it in /proc/self/status (since 4.7).
 */
final class Umask {
  private static final Pattern LINE = Pattern.compile("(?m)^Umask:\\s*([0-7]+)\\s*$");
  private static final int FALLBACK = 022;
  private static volatile Integer value;

  private Umask() {}

  static int get() {
    Integer v = value;
    if (v == null) {
      v = read();
      value = v;
    }
    return v;
  }

  private static int read() {
    try {
      return parse(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException | RuntimeException e) {
      return FALLBACK;
    }
  }

  /** The mask in a /proc/PID/status text, or 022 when it has none. */
  static int parse(String status) {
    Matcher m = LINE.matcher(status);
    return m.find() ? Integer.parseInt(m.group(1), 8) & 0777 : FALLBACK;
  }
}
