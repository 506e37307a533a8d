package io.mtpbridge.host.files;

import io.mtpbridge.core.storage.ObjectNames;
import java.nio.charset.StandardCharsets;

/**
 * Names of the hidden files a copy is written to before it takes its real name, on the PC and on
 * the device: {@code .<name>[.<tag>].mtpbridge-part}. Such a name is never longer than the real
 * name (in UTF-8 bytes and in UTF-16 units) unless both are short, so wherever the real name fits,
 * its part file fits too: a name of 255 bytes on ext4 or 254 characters in MTP would otherwise
 * fail only because of the part file.
 */
final class PartName {
  static final String SUFFIX = ".mtpbridge-part";
  /** Every file system and MTP itself hold names this long: the part name may always use them. */
  private static final int ALWAYS_FITS = 64;

  private PartName() {}

  /** The part name for {@code name}; {@code tag} (ASCII, may be empty) tells concurrent copies apart. */
  static String of(String name, String tag) {
    String end = (tag.isEmpty() ? "" : "." + tag) + SUFFIX;
    int fixed = 1 + end.length(); // the leading '.' and the end are ASCII: one byte and one unit each
    int units = Math.max(name.length(), ALWAYS_FITS) - fixed;
    int bytes = Math.max(utf8Length(name), ALWAYS_FITS) - fixed;
    return "." + ObjectNames.prefixWithin(name, units, bytes) + end;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
