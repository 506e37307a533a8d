package io.mtpbridge.core.code;

/**
 * PTP 1.1 and MTP 1.1 event codes.
 */
public enum EventCode {
  CANCEL_TRANSACTION(0x4001, "CancelTransaction"),
  OBJECT_ADDED(0x4002, "ObjectAdded"),
  OBJECT_REMOVED(0x4003, "ObjectRemoved"),
  STORE_ADDED(0x4004, "StoreAdded"),
  STORE_REMOVED(0x4005, "StoreRemoved"),
  DEVICE_PROP_CHANGED(0x4006, "DevicePropChanged"),
  OBJECT_INFO_CHANGED(0x4007, "ObjectInfoChanged"),
  DEVICE_INFO_CHANGED(0x4008, "DeviceInfoChanged"),
  REQUEST_OBJECT_TRANSFER(0x4009, "RequestObjectTransfer"),
  STORE_FULL(0x400A, "StoreFull"),
  DEVICE_RESET(0x400B, "DeviceReset"),
  STORAGE_INFO_CHANGED(0x400C, "StorageInfoChanged"),
  CAPTURE_COMPLETE(0x400D, "CaptureComplete"),
  UNREPORTED_STATUS(0x400E, "UnreportedStatus"),
  SERVICE_ADDED(0xC301, "ServiceAdded"),
  SERVICE_REMOVED(0xC302, "ServiceRemoved"),
  SERVICE_PROP_CHANGED(0xC303, "ServicePropChanged"),
  METHOD_COMPLETE(0xC304, "MethodComplete"),
  OBJECT_PROP_CHANGED(0xC801, "ObjectPropChanged"),
  OBJECT_PROP_DESC_CHANGED(0xC802, "ObjectPropDescChanged"),
  OBJECT_REFERENCES_CHANGED(0xC803, "ObjectReferencesChanged");

  private static final CodeTable<EventCode> TABLE = new CodeTable<>(values(), EventCode::value);

  private final int value;
  private final String wireName;

  EventCode(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static EventCode of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    EventCode c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
