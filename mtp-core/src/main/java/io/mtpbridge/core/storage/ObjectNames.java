package io.mtpbridge.core.storage;

/**
 * The rules for an object name that came from the host. Checked before any storage sees the
 * name, so no storage can be walked out of through a crafted name.
 */
public final class ObjectNames {
  /** Longest name in UTF-16 units: a PTP string holds 255 characters including the NUL. */
  public static final int MAX_LENGTH = 254;

  private ObjectNames() {}

  /** Returns {@code name} if acceptable, else throws {@link StorageError#INVALID_NAME} saying why. */
  public static String validate(String name) throws StorageException {
    if (name == null || name.isEmpty()) throw invalid(name, "the name is empty");
    if (name.length() > MAX_LENGTH) throw invalid(name, "longer than " + MAX_LENGTH + " characters");
    if (name.equals(".") || name.equals("..")) throw invalid(name, "'.' and '..' are not names");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') throw invalid(name, "contains a path separator");
      if (c == 0) throw invalid(name, "contains NUL");
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) throw invalid(name, "unpaired UTF-16 surrogate");
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw invalid(name, "unpaired UTF-16 surrogate");
      }
    }
    return name;
  }

  /**
   * The longest start of {@code s} within {@code maxUnits} UTF-16 units and {@code maxBytes} bytes
   * of UTF-8, never splitting a surrogate pair: for names made from other names (a part file, an
   * escaped or "(2)" variant) that must stay within what MTP and file systems hold.
   */
  public static String prefixWithin(String s, int maxUnits, int maxBytes) {
    int end = 0;
    int bytes = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int units = Character.charCount(cp);
      int b = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (end + units > maxUnits || bytes + b > maxBytes) break;
      end += units;
      bytes += b;
    }
    return s.substring(0, end);
  }

  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  private static StorageException invalid(String name, String why) {
    String shown = name == null ? "null" : name.length() > 40 ? name.substring(0, 40) + "..." : name;
    return new StorageException(StorageError.INVALID_NAME, "invalid object name \"" + shown.replace("\0", "\\0") + "\": " + why);
  }
}
