package io.mtpbridge.core.code;

/**
 * StorageInfo FilesystemType values.
 */
public enum FilesystemType {
  UNDEFINED(0x0000, "Undefined"),
  GENERIC_FLAT(0x0001, "GenericFlat"),
  GENERIC_HIERARCHICAL(0x0002, "GenericHierarchical"),
  DCF(0x0003, "DCF");

  private static final CodeTable<FilesystemType> TABLE = new CodeTable<>(values(), FilesystemType::value);

  private final int value;
  private final String wireName;

  FilesystemType(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static FilesystemType of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    FilesystemType c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
