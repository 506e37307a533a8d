package io.mtpbridge.core.code;

/**
 * StorageInfo AccessCapability values.
 */
public enum AccessCapability {
  READ_WRITE(0x0000, "ReadWrite"),
  READ_ONLY_WITHOUT_OBJECT_DELETION(0x0001, "ReadOnlyWithoutObjectDeletion"),
  READ_ONLY_WITH_OBJECT_DELETION(0x0002, "ReadOnlyWithObjectDeletion");

  private static final CodeTable<AccessCapability> TABLE = new CodeTable<>(values(), AccessCapability::value);

  private final int value;
  private final String wireName;

  AccessCapability(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static AccessCapability of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    AccessCapability c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
