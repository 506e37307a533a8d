package io.mtpbridge.usb.functionfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Which file system a directory is on, from /proc/self/mounts, so a forgotten mount is reported as such. */
final class MountTable {
  private MountTable() {}

  /** The type of the file system mounted at or containing {@code dir}, or null when unknown. */
  static String typeOf(Path dir) {
    List<String> lines;
    Path real;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/mounts"));
      real = dir.toRealPath();
    } catch (IOException | RuntimeException e) {
      return null;
    }
    String best = null;
    int bestLength = -1;
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 3) continue;
      String mountPoint = unescape(f[1]);
      if ((real.toString().equals(mountPoint) || real.startsWith(mountPoint)) && mountPoint.length() > bestLength) {
        best = f[2];
        bestLength = mountPoint.length();
      }
    }
    return best;
  }

  /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        try {
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
          // not an escape
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
