package io.mtpbridge.core.code;

/**
 * PTP 1.0 device property codes (0x5001..0x501F) and the MTP 1.1 device properties (0xD401..0xD413),
 * each with its data type. The WMDRM properties (0xD101..0xD103, 0xD131) belong to a DRM extension
 * this project does not implement and are not listed.
 */
public enum DevicePropertyCode {
  BATTERY_LEVEL(0x5001, "BatteryLevel", DataType.UINT8),
  FUNCTIONAL_MODE(0x5002, "FunctionalMode", DataType.UINT16),
  IMAGE_SIZE(0x5003, "ImageSize", DataType.STR),
  COMPRESSION_SETTING(0x5004, "CompressionSetting", DataType.UINT8),
  WHITE_BALANCE(0x5005, "WhiteBalance", DataType.UINT16),
  RGB_GAIN(0x5006, "RGBGain", DataType.STR),
  F_NUMBER(0x5007, "FNumber", DataType.UINT16),
  FOCAL_LENGTH(0x5008, "FocalLength", DataType.UINT32),
  FOCUS_DISTANCE(0x5009, "FocusDistance", DataType.UINT16),
  FOCUS_MODE(0x500A, "FocusMode", DataType.UINT16),
  EXPOSURE_METERING_MODE(0x500B, "ExposureMeteringMode", DataType.UINT16),
  FLASH_MODE(0x500C, "FlashMode", DataType.UINT16),
  EXPOSURE_TIME(0x500D, "ExposureTime", DataType.UINT32),
  EXPOSURE_PROGRAM_MODE(0x500E, "ExposureProgramMode", DataType.UINT16),
  EXPOSURE_INDEX(0x500F, "ExposureIndex", DataType.UINT16),
  EXPOSURE_BIAS_COMPENSATION(0x5010, "ExposureBiasCompensation", DataType.INT16),
  DATE_TIME(0x5011, "DateTime", DataType.STR),
  CAPTURE_DELAY(0x5012, "CaptureDelay", DataType.UINT32),
  STILL_CAPTURE_MODE(0x5013, "StillCaptureMode", DataType.UINT16),
  CONTRAST(0x5014, "Contrast", DataType.UINT8),
  SHARPNESS(0x5015, "Sharpness", DataType.UINT8),
  DIGITAL_ZOOM(0x5016, "DigitalZoom", DataType.UINT8),
  EFFECT_MODE(0x5017, "EffectMode", DataType.UINT16),
  BURST_NUMBER(0x5018, "BurstNumber", DataType.UINT16),
  BURST_INTERVAL(0x5019, "BurstInterval", DataType.UINT16),
  TIMELAPSE_NUMBER(0x501A, "TimelapseNumber", DataType.UINT16),
  TIMELAPSE_INTERVAL(0x501B, "TimelapseInterval", DataType.UINT32),
  FOCUS_METERING_MODE(0x501C, "FocusMeteringMode", DataType.UINT16),
  UPLOAD_URL(0x501D, "UploadURL", DataType.STR),
  ARTIST(0x501E, "Artist", DataType.STR),
  COPYRIGHT_INFO(0x501F, "CopyrightInfo", DataType.STR),
  SYNCHRONIZATION_PARTNER(0xD401, "SynchronizationPartner", DataType.STR),
  DEVICE_FRIENDLY_NAME(0xD402, "DeviceFriendlyName", DataType.STR),
  VOLUME(0xD403, "Volume", DataType.UINT32),
  SUPPORTED_FORMATS_ORDERED(0xD404, "SupportedFormatsOrdered", DataType.UINT8),
  DEVICE_ICON(0xD405, "DeviceIcon", DataType.AUINT8),
  SESSION_INITIATOR_VERSION_INFO(0xD406, "SessionInitiatorVersionInfo", DataType.STR),
  PERCEIVED_DEVICE_TYPE(0xD407, "PerceivedDeviceType", DataType.UINT32),
  PLAYBACK_RATE(0xD410, "PlaybackRate", DataType.INT32),
  PLAYBACK_OBJECT(0xD411, "PlaybackObject", DataType.UINT32),
  PLAYBACK_CONTAINER_INDEX(0xD412, "PlaybackContainerIndex", DataType.UINT32),
  PLAYBACK_POSITION(0xD413, "PlaybackPosition", DataType.UINT32);

  private static final CodeTable<DevicePropertyCode> TABLE = new CodeTable<>(values(), DevicePropertyCode::value);

  private final int value;
  private final String wireName;
  private final DataType dataType;

  DevicePropertyCode(int value, String wireName, DataType dataType) {
    this.value = value;
    this.wireName = wireName;
    this.dataType = dataType;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The data type of this property's values. */
  public DataType dataType() { return dataType; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static DevicePropertyCode of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    DevicePropertyCode c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
