package io.mtpbridge.core.code;

/**
 * PTP 1.1 (ISO 15740:2008) and MTP 1.1 operation codes, plus the Android random-access extensions
 * (0x95C1..0x95C5) that libmtp uses when the device advertises them. Vendor operations of other
 * modules (e.g. the backup bridge's 0x9A01..) are not listed here: they are plain ints to this enum
 * and {@link #nameOf} prints them as hex.
 */
public enum OperationCode {
  GET_DEVICE_INFO(0x1001, "GetDeviceInfo"),
  OPEN_SESSION(0x1002, "OpenSession"),
  CLOSE_SESSION(0x1003, "CloseSession"),
  GET_STORAGE_IDS(0x1004, "GetStorageIDs"),
  GET_STORAGE_INFO(0x1005, "GetStorageInfo"),
  GET_NUM_OBJECTS(0x1006, "GetNumObjects"),
  GET_OBJECT_HANDLES(0x1007, "GetObjectHandles"),
  GET_OBJECT_INFO(0x1008, "GetObjectInfo"),
  GET_OBJECT(0x1009, "GetObject"),
  GET_THUMB(0x100A, "GetThumb"),
  DELETE_OBJECT(0x100B, "DeleteObject"),
  SEND_OBJECT_INFO(0x100C, "SendObjectInfo"),
  SEND_OBJECT(0x100D, "SendObject"),
  INITIATE_CAPTURE(0x100E, "InitiateCapture"),
  FORMAT_STORE(0x100F, "FormatStore"),
  RESET_DEVICE(0x1010, "ResetDevice"),
  SELF_TEST(0x1011, "SelfTest"),
  SET_OBJECT_PROTECTION(0x1012, "SetObjectProtection"),
  POWER_DOWN(0x1013, "PowerDown"),
  GET_DEVICE_PROP_DESC(0x1014, "GetDevicePropDesc"),
  GET_DEVICE_PROP_VALUE(0x1015, "GetDevicePropValue"),
  SET_DEVICE_PROP_VALUE(0x1016, "SetDevicePropValue"),
  RESET_DEVICE_PROP_VALUE(0x1017, "ResetDevicePropValue"),
  TERMINATE_OPEN_CAPTURE(0x1018, "TerminateOpenCapture"),
  MOVE_OBJECT(0x1019, "MoveObject"),
  COPY_OBJECT(0x101A, "CopyObject"),
  GET_PARTIAL_OBJECT(0x101B, "GetPartialObject"),
  INITIATE_OPEN_CAPTURE(0x101C, "InitiateOpenCapture"),
  START_ENUM_HANDLES(0x101D, "StartEnumHandles"),
  ENUM_HANDLES(0x101E, "EnumHandles"),
  STOP_ENUM_HANDLES(0x101F, "StopEnumHandles"),
  GET_VENDOR_EXTENSION_MAPS(0x1020, "GetVendorExtensionMaps"),
  GET_VENDOR_DEVICE_INFO(0x1021, "GetVendorDeviceInfo"),
  GET_RESIZED_IMAGE_OBJECT(0x1022, "GetResizedImageObject"),
  GET_FILESYSTEM_MANIFEST(0x1023, "GetFilesystemManifest"),
  GET_STREAM_INFO(0x1024, "GetStreamInfo"),
  GET_STREAM(0x1025, "GetStream"),
  GET_SERVICE_IDS(0x9301, "GetServiceIDs"),
  GET_SERVICE_INFO(0x9302, "GetServiceInfo"),
  GET_SERVICE_CAPABILITIES(0x9303, "GetServiceCapabilities"),
  GET_SERVICE_PROP_DESC(0x9304, "GetServicePropDesc"),
  GET_SERVICE_PROP_LIST(0x9305, "GetServicePropList"),
  SET_SERVICE_PROP_LIST(0x9306, "SetServicePropList"),
  UPDATE_OBJECT_PROP_LIST(0x9307, "UpdateObjectPropList"),
  DELETE_OBJECT_PROP_LIST(0x9308, "DeleteObjectPropList"),
  DELETE_SERVICE_PROP_LIST(0x9309, "DeleteServicePropList"),
  GET_FORMAT_CAPABILITIES(0x930A, "GetFormatCapabilities"),
  GET_PARTIAL_OBJECT64(0x95C1, "GetPartialObject64"),
  SEND_PARTIAL_OBJECT(0x95C2, "SendPartialObject"),
  TRUNCATE_OBJECT(0x95C3, "TruncateObject"),
  BEGIN_EDIT_OBJECT(0x95C4, "BeginEditObject"),
  END_EDIT_OBJECT(0x95C5, "EndEditObject"),
  GET_OBJECT_PROPS_SUPPORTED(0x9801, "GetObjectPropsSupported"),
  GET_OBJECT_PROP_DESC(0x9802, "GetObjectPropDesc"),
  GET_OBJECT_PROP_VALUE(0x9803, "GetObjectPropValue"),
  SET_OBJECT_PROP_VALUE(0x9804, "SetObjectPropValue"),
  GET_OBJECT_PROP_LIST(0x9805, "GetObjectPropList"),
  SET_OBJECT_PROP_LIST(0x9806, "SetObjectPropList"),
  GET_INTERDEPENDENT_PROP_DESC(0x9807, "GetInterdependentPropDesc"),
  SEND_OBJECT_PROP_LIST(0x9808, "SendObjectPropList"),
  GET_OBJECT_REFERENCES(0x9810, "GetObjectReferences"),
  SET_OBJECT_REFERENCES(0x9811, "SetObjectReferences"),
  UPDATE_DEVICE_FIRMWARE(0x9812, "UpdateDeviceFirmware"),
  SKIP(0x9820, "Skip");

  private static final CodeTable<OperationCode> TABLE = new CodeTable<>(values(), OperationCode::value);

  private final int value;
  private final String wireName;

  OperationCode(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static OperationCode of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    OperationCode c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
