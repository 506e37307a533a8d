package io.mtpbridge.backup.protocol;

import java.util.regex.Pattern;

/**
 * The shapes of owner ids and volume names. Registrations, archive entry names and the host's
 * requests are all checked against these, so an id that passed one check can be used as a path
 * segment everywhere else.
 */
public final class Names {
  /** An owner id such as {@code org.example.notes}: no '/', no leading '.', at most 128 characters. */
  public static final Pattern OWNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** A volume name such as {@code internal} or {@code sdcard}. */
  public static final Pattern VOLUME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  private Names() {}

  public static boolean isOwnerId(String s) { return s != null && OWNER_ID.matcher(s).matches(); }

  public static boolean isVolume(String s) { return s != null && VOLUME.matcher(s).matches(); }
}
