package io.mtpbridge.core.code;

/**
 * ObjectInfo / ObjectPropDesc ProtectionStatus values (PTP's two plus MTP's 0x8002, 0x8003).
 */
public enum ProtectionStatus {
  NO_PROTECTION(0x0000, "NoProtection"),
  READ_ONLY(0x0001, "ReadOnly"),
  READ_ONLY_DATA(0x8002, "ReadOnlyData"),
  NON_TRANSFERABLE_DATA(0x8003, "NonTransferableData");

  private static final CodeTable<ProtectionStatus> TABLE = new CodeTable<>(values(), ProtectionStatus::value);

  private final int value;
  private final String wireName;

  ProtectionStatus(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static ProtectionStatus of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    ProtectionStatus c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
