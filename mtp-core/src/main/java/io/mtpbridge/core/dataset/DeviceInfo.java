package io.mtpbridge.core.dataset;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The DeviceInfo dataset (GetDeviceInfo). Code lists are UINT16 arrays held as {@code int[]}
 * (copied in and out, so the record stays immutable).
 *
 * <p>For MTP, libmtp expects StandardVersion 100, VendorExtensionID 6 (Microsoft) and a
 * VendorExtensionDesc such as {@code microsoft.com: 1.0;} — see {@link #MTP_STANDARD_VERSION},
 * {@link #MICROSOFT_VENDOR_EXTENSION_ID}.
 */
public record DeviceInfo(
    int standardVersion,
    int vendorExtensionId,
    int vendorExtensionVersion,
    String vendorExtensionDesc,
    int functionalMode,
    int[] operationsSupported,
    int[] eventsSupported,
    int[] devicePropertiesSupported,
    int[] captureFormats,
    int[] playbackFormats,
    String manufacturer,
    String model,
    String deviceVersion,
    String serialNumber) {

  /** PTP StandardVersion 1.00 as MTP devices report it. */
  public static final int MTP_STANDARD_VERSION = 100;
  /** VendorExtensionID of Microsoft, which marks an MTP device. */
  public static final int MICROSOFT_VENDOR_EXTENSION_ID = 6;
  /** MTP VendorExtensionVersion 1.00. */
  public static final int MTP_VENDOR_EXTENSION_VERSION = 100;

  public DeviceInfo {
    Fields.u16(standardVersion, "StandardVersion");
    Fields.u16(vendorExtensionVersion, "VendorExtensionVersion");
    Fields.u16(functionalMode, "FunctionalMode");
    operationsSupported = Fields.u16s(operationsSupported, "OperationsSupported");
    eventsSupported = Fields.u16s(eventsSupported, "EventsSupported");
    devicePropertiesSupported = Fields.u16s(devicePropertiesSupported, "DevicePropertiesSupported");
    captureFormats = Fields.u16s(captureFormats, "CaptureFormats");
    playbackFormats = Fields.u16s(playbackFormats, "PlaybackFormats");
    Fields.str(vendorExtensionDesc, "VendorExtensionDesc");
    Fields.str(manufacturer, "Manufacturer");
    Fields.str(model, "Model");
    Fields.str(deviceVersion, "DeviceVersion");
    Fields.str(serialNumber, "SerialNumber");
  }

  @Override public int[] operationsSupported() { return operationsSupported.clone(); }
  @Override public int[] eventsSupported() { return eventsSupported.clone(); }
  @Override public int[] devicePropertiesSupported() { return devicePropertiesSupported.clone(); }
  @Override public int[] captureFormats() { return captureFormats.clone(); }
  @Override public int[] playbackFormats() { return playbackFormats.clone(); }

  public int encodedLength() {
    return 2 + 4 + 2 + PtpString.encodedLength(vendorExtensionDesc) + 2
        + PtpArrays.uint16ArrayLength(operationsSupported.length)
        + PtpArrays.uint16ArrayLength(eventsSupported.length)
        + PtpArrays.uint16ArrayLength(devicePropertiesSupported.length)
        + PtpArrays.uint16ArrayLength(captureFormats.length)
        + PtpArrays.uint16ArrayLength(playbackFormats.length)
        + PtpString.encodedLength(manufacturer) + PtpString.encodedLength(model)
        + PtpString.encodedLength(deviceVersion) + PtpString.encodedLength(serialNumber);
  }

  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    out.writeShortLE(standardVersion);
    out.writeIntLE(vendorExtensionId);
    out.writeShortLE(vendorExtensionVersion);
    PtpString.encode(vendorExtensionDesc, out);
    out.writeShortLE(functionalMode);
    PtpArrays.writeUint16Array(operationsSupported, out);
    PtpArrays.writeUint16Array(eventsSupported, out);
    PtpArrays.writeUint16Array(devicePropertiesSupported, out);
    PtpArrays.writeUint16Array(captureFormats, out);
    PtpArrays.writeUint16Array(playbackFormats, out);
    PtpString.encode(manufacturer, out);
    PtpString.encode(model, out);
    PtpString.encode(deviceVersion, out);
    PtpString.encode(serialNumber, out);
  }

  public static DeviceInfo decode(ByteBuf in) throws MalformedDatasetException {
    int standardVersion = Wire.u16(in, "StandardVersion");
    int vendorExtensionId = Wire.u32(in, "VendorExtensionID");
    int vendorExtensionVersion = Wire.u16(in, "VendorExtensionVersion");
    String vendorExtensionDesc = PtpString.decode(in);
    int functionalMode = Wire.u16(in, "FunctionalMode");
    int[] operations = PtpArrays.readUint16Array(in);
    int[] events = PtpArrays.readUint16Array(in);
    int[] deviceProperties = PtpArrays.readUint16Array(in);
    int[] captureFormats = PtpArrays.readUint16Array(in);
    int[] playbackFormats = PtpArrays.readUint16Array(in);
    String manufacturer = PtpString.decode(in);
    String model = PtpString.decode(in);
    String deviceVersion = PtpString.decode(in);
    String serialNumber = PtpString.decode(in);
    return new DeviceInfo(standardVersion, vendorExtensionId, vendorExtensionVersion, vendorExtensionDesc,
        functionalMode, operations, events, deviceProperties, captureFormats, playbackFormats,
        manufacturer, model, deviceVersion, serialNumber);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceInfo d
        && standardVersion == d.standardVersion && vendorExtensionId == d.vendorExtensionId
        && vendorExtensionVersion == d.vendorExtensionVersion && functionalMode == d.functionalMode
        && vendorExtensionDesc.equals(d.vendorExtensionDesc)
        && java.util.Arrays.equals(operationsSupported, d.operationsSupported)
        && java.util.Arrays.equals(eventsSupported, d.eventsSupported)
        && java.util.Arrays.equals(devicePropertiesSupported, d.devicePropertiesSupported)
        && java.util.Arrays.equals(captureFormats, d.captureFormats)
        && java.util.Arrays.equals(playbackFormats, d.playbackFormats)
        && manufacturer.equals(d.manufacturer) && model.equals(d.model)
        && deviceVersion.equals(d.deviceVersion) && serialNumber.equals(d.serialNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(standardVersion, vendorExtensionId, vendorExtensionDesc, model, serialNumber,
        java.util.Arrays.hashCode(operationsSupported));
  }

  @Override
  public String toString() {
    return "DeviceInfo[" + manufacturer + " " + model + " " + deviceVersion + ", serial " + serialNumber
        + ", ext " + vendorExtensionId + " \"" + vendorExtensionDesc + "\", " + operationsSupported.length
        + " operations, " + eventsSupported.length + " events, " + devicePropertiesSupported.length
        + " device properties, " + playbackFormats.length + " formats]";
  }
}
