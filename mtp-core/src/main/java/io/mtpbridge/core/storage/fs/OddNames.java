package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.ObjectNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directory entries whose names cannot go to the host as they are: longer than an MTP name (254
 * UTF-16 units), holding a backslash, or bytes that are not UTF-8 (they do not survive the trip
 * through a Java string). Such an entry is shown under an escaped name — the printable part, then
 * "~" and eight hex digits of a hash of the raw name, then the extension — so the host can see,
 * copy, rename and delete it (and the folder holding it). The escaped name leads back to the entry
 * through a small cache, or a scan of its folder when the cache does not know it (after a restart).
 * An entry whose real name equals an escaped one always wins over the escaped entry.
 */
final class OddNames {
  private static final Logger log = LoggerFactory.getLogger(OddNames.class);
  private static final Pattern ESCAPED = Pattern.compile(".*~[0-9a-f]{8}(\\.[^.]{1,16})?");
  private static final int MAX_CACHED = 10_000;
  private static final int MAX_EXTENSION = 16;

  private final Map<Path, Path> entryByShownPath = new ConcurrentHashMap<>();
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  /**
   * The name to show for {@code entry} (a child of {@code dir} whose file name reads {@code name}):
   * its own name when the host can have it, else an escaped one; null when the escaped name is
   * taken by a real entry.
   */
  String shownName(Path dir, Path entry, String name) {
    if (ObjectNames.isValid(name) && (isAscii(name) || dir.resolve(name).equals(entry))) return name;
    String shown = escape(name, rawName(entry));
    Path shownPath = dir.resolve(shown);
    if (Files.exists(shownPath, LinkOption.NOFOLLOW_LINKS)) {
      log.warn("{}: cannot be shown (its escaped name {} is taken by another file)", entry, shown);
      return null;
    }
    remember(shownPath, entry);
    if (logged.size() < MAX_CACHED && logged.add(entry.toString())) {
      log.warn("file name not usable over MTP ({}): {} is shown as \"{}\"", why(name, dir, entry), entry, shown);
    }
    return shown;
  }

  /**
   * True for a name of ASCII characters only: it was decoded from exactly these bytes whatever the
   * file name encoding (every one Linux uses is a superset of ASCII, and bytes that are not ASCII
   * never decode to ASCII), so it leads back to its entry without the check by re-encoding.
   */
  private static boolean isAscii(String name) {
    for (int i = 0; i < name.length(); i++) if (name.charAt(i) >= 0x80) return false;
    return true;
  }

  /** The entry the host means by {@code name} in {@code dir} (a path that may not exist). */
  Path resolve(Path dir, String name) {
    Path direct = dir.resolve(name);
    if (!ESCAPED.matcher(name).matches()) return direct;
    if (Files.exists(direct, LinkOption.NOFOLLOW_LINKS)) return direct;
    Path cached = entryByShownPath.get(direct);
    if (cached != null && Files.exists(cached, LinkOption.NOFOLLOW_LINKS)) return cached;
    // Not cached (the folder was renamed, or the device restarted): look for it.
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String n = p.getFileName().toString();
        if (ObjectNames.isValid(n) && dir.resolve(n).equals(p)) continue;
        if (escape(n, rawName(p)).equals(name)) {
          remember(direct, p);
          return p;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the folder went away or cannot be read: the caller finds nothing at the direct path
    }
    return direct;
  }

  private void remember(Path shownPath, Path entry) {
    if (entryByShownPath.size() >= MAX_CACHED) entryByShownPath.clear(); // the scan finds them again
    entryByShownPath.put(shownPath, entry);
  }

  private static String why(String name, Path dir, Path entry) {
    if (!dir.resolve(name).equals(entry)) return "not UTF-8";
    if (name.indexOf('\\') >= 0) return "contains a backslash";
    if (name.length() > ObjectNames.MAX_LENGTH) return "longer than " + ObjectNames.MAX_LENGTH + " characters";
    return "not a valid MTP name";
  }

  /** The entry's name as the bytes on disk (percent-encoded), whatever the JVM's file name encoding made of them. */
  private static String rawName(Path entry) {
    try {
      String raw = entry.toAbsolutePath().toUri().getRawPath();
      if (raw.endsWith("/")) raw = raw.substring(0, raw.length() - 1);
      return raw.substring(raw.lastIndexOf('/') + 1);
    } catch (RuntimeException e) {
      return entry.getFileName().toString();
    }
  }

  /** The escaped name: printable part, "~", 8 hex digits of the raw name's SHA-256, extension; at most 254 units and 255 UTF-8 bytes. */
  static String escape(String name, String rawName) {
    StringBuilder clean = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
        clean.append(c).append(name.charAt(++i));
      } else if (c == '\\' || c == '/' || c == 0 || c == '\uFFFD' || Character.isSurrogate(c)) {
        clean.append('_');
      } else {
        clean.append(c);
      }
    }
    String s = clean.toString();
    String ext = "";
    int dot = s.lastIndexOf('.');
    if (dot > 0 && s.length() - dot - 1 <= MAX_EXTENSION && s.length() - dot > 1) {
      ext = s.substring(dot);
      s = s.substring(0, dot);
    }
    String tag = "~" + hash(rawName);
    int maxUnits = ObjectNames.MAX_LENGTH - tag.length() - ext.length();
    int maxBytes = FileSystemKind.NAME_MAX_BYTES - tag.length() - ext.getBytes(StandardCharsets.UTF_8).length;
    return ObjectNames.prefixWithin(s, maxUnits, maxBytes) + tag + ext;
  }

  private static String hash(String rawName) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(rawName.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
