package io.mtpbridge.core.code;

/**
 * PTP 1.1 and MTP 1.1 response codes. Note the two "invalid dataset" codes: PTP 1.1's
 * {@link #INVALID_DATA_SET} (0x2023) and MTP's {@link #INVALID_DATASET} (0xA806); an MTP responder
 * answers a malformed host dataset with the MTP one, which every MTP initiator knows.
 */
public enum ResponseCode {
  OK(0x2001, "OK"),
  GENERAL_ERROR(0x2002, "GeneralError"),
  SESSION_NOT_OPEN(0x2003, "SessionNotOpen"),
  INVALID_TRANSACTION_ID(0x2004, "InvalidTransactionID"),
  OPERATION_NOT_SUPPORTED(0x2005, "OperationNotSupported"),
  PARAMETER_NOT_SUPPORTED(0x2006, "ParameterNotSupported"),
  INCOMPLETE_TRANSFER(0x2007, "IncompleteTransfer"),
  INVALID_STORAGE_ID(0x2008, "InvalidStorageID"),
  INVALID_OBJECT_HANDLE(0x2009, "InvalidObjectHandle"),
  DEVICE_PROP_NOT_SUPPORTED(0x200A, "DevicePropNotSupported"),
  INVALID_OBJECT_FORMAT_CODE(0x200B, "InvalidObjectFormatCode"),
  STORE_FULL(0x200C, "StoreFull"),
  OBJECT_WRITE_PROTECTED(0x200D, "ObjectWriteProtected"),
  STORE_READ_ONLY(0x200E, "StoreReadOnly"),
  ACCESS_DENIED(0x200F, "AccessDenied"),
  NO_THUMBNAIL_PRESENT(0x2010, "NoThumbnailPresent"),
  SELF_TEST_FAILED(0x2011, "SelfTestFailed"),
  PARTIAL_DELETION(0x2012, "PartialDeletion"),
  STORE_NOT_AVAILABLE(0x2013, "StoreNotAvailable"),
  SPECIFICATION_BY_FORMAT_UNSUPPORTED(0x2014, "SpecificationByFormatUnsupported"),
  NO_VALID_OBJECT_INFO(0x2015, "NoValidObjectInfo"),
  INVALID_CODE_FORMAT(0x2016, "InvalidCodeFormat"),
  UNKNOWN_VENDOR_CODE(0x2017, "UnknownVendorCode"),
  CAPTURE_ALREADY_TERMINATED(0x2018, "CaptureAlreadyTerminated"),
  DEVICE_BUSY(0x2019, "DeviceBusy"),
  INVALID_PARENT_OBJECT(0x201A, "InvalidParentObject"),
  INVALID_DEVICE_PROP_FORMAT(0x201B, "InvalidDevicePropFormat"),
  INVALID_DEVICE_PROP_VALUE(0x201C, "InvalidDevicePropValue"),
  INVALID_PARAMETER(0x201D, "InvalidParameter"),
  SESSION_ALREADY_OPEN(0x201E, "SessionAlreadyOpen"),
  TRANSACTION_CANCELLED(0x201F, "TransactionCancelled"),
  SPECIFICATION_OF_DESTINATION_UNSUPPORTED(0x2020, "SpecificationOfDestinationUnsupported"),
  INVALID_ENUM_HANDLE(0x2021, "InvalidEnumHandle"),
  NO_STREAM_ENABLED(0x2022, "NoStreamEnabled"),
  INVALID_DATA_SET(0x2023, "InvalidDataSet"),
  INVALID_SERVICE_ID(0xA301, "InvalidServiceID"),
  INVALID_SERVICE_PROP_CODE(0xA302, "InvalidServicePropCode"),
  INVALID_OBJECT_PROP_CODE(0xA801, "InvalidObjectPropCode"),
  INVALID_OBJECT_PROP_FORMAT(0xA802, "InvalidObjectPropFormat"),
  INVALID_OBJECT_PROP_VALUE(0xA803, "InvalidObjectPropValue"),
  INVALID_OBJECT_REFERENCE(0xA804, "InvalidObjectReference"),
  GROUP_NOT_SUPPORTED(0xA805, "GroupNotSupported"),
  INVALID_DATASET(0xA806, "InvalidDataset"),
  SPECIFICATION_BY_GROUP_UNSUPPORTED(0xA807, "SpecificationByGroupUnsupported"),
  SPECIFICATION_BY_DEPTH_UNSUPPORTED(0xA808, "SpecificationByDepthUnsupported"),
  OBJECT_TOO_LARGE(0xA809, "ObjectTooLarge"),
  OBJECT_PROP_NOT_SUPPORTED(0xA80A, "ObjectPropNotSupported");

  private static final CodeTable<ResponseCode> TABLE = new CodeTable<>(values(), ResponseCode::value);

  private final int value;
  private final String wireName;

  ResponseCode(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static ResponseCode of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    ResponseCode c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
