package io.mtpbridge.core.code;

/**
 * The FormFlag of a DevicePropDesc / ObjectPropDesc (a UINT8 on the wire). Device properties use
 * only none, range and enumeration; object properties may use all.
 */
public enum PropertyFormType {
  NONE(0x00, "None"),
  RANGE(0x01, "Range"),
  ENUMERATION(0x02, "Enumeration"),
  DATE_TIME(0x03, "DateTime"),
  FIXED_LENGTH_ARRAY(0x04, "FixedLengthArray"),
  REGULAR_EXPRESSION(0x05, "RegularExpression"),
  BYTE_ARRAY(0x06, "ByteArray"),
  LONG_STRING(0xFF, "LongString");

  private static final CodeTable<PropertyFormType> TABLE = new CodeTable<>(values(), PropertyFormType::value);

  private final int value;
  private final String wireName;

  PropertyFormType(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static PropertyFormType of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    PropertyFormType c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
