package io.mtpbridge.core.code;

/**
 * ObjectInfo AssociationType values. MTP folders are associations of type
 * {@link #GENERIC_FOLDER}; the others are PTP camera groupings kept for decoding.
 */
public enum AssociationType {
  UNDEFINED(0x0000, "Undefined"),
  GENERIC_FOLDER(0x0001, "GenericFolder"),
  ALBUM(0x0002, "Album"),
  TIME_SEQUENCE(0x0003, "TimeSequence"),
  HORIZONTAL_PANORAMIC(0x0004, "HorizontalPanoramic"),
  VERTICAL_PANORAMIC(0x0005, "VerticalPanoramic"),
  PANORAMIC_2D(0x0006, "Panoramic2D"),
  ANCILLARY_DATA(0x0007, "AncillaryData");

  private static final CodeTable<AssociationType> TABLE = new CodeTable<>(values(), AssociationType::value);

  private final int value;
  private final String wireName;

  AssociationType(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static AssociationType of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    AssociationType c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
