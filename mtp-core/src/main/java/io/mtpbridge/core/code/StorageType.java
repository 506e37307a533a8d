package io.mtpbridge.core.code;

/**
 * StorageInfo StorageType values.
 */
public enum StorageType {
  UNDEFINED(0x0000, "Undefined"),
  FIXED_ROM(0x0001, "FixedROM"),
  REMOVABLE_ROM(0x0002, "RemovableROM"),
  FIXED_RAM(0x0003, "FixedRAM"),
  REMOVABLE_RAM(0x0004, "RemovableRAM");

  private static final CodeTable<StorageType> TABLE = new CodeTable<>(values(), StorageType::value);

  private final int value;
  private final String wireName;

  StorageType(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static StorageType of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    StorageType c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
