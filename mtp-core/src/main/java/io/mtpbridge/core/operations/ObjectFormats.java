package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;

/**
 * Format code parameters of the property-description operations.
 *
 * <p>A storage can hold files of any format, and hosts pick the format of an upload from the file
 * extension (libmtp sends a {@code .bin} as 0xB802 Undefined Firmware), then ask
 * GetObjectPropsSupported / GetObjectPropDesc for exactly that format to build the property list
 * of the upload. Refusing a format we do not advertise makes libmtp send a list without
 * ObjectFileName, so the upload fails. Every well-formed object format code is therefore answered:
 * an advertised one with its own properties, any other with those of Undefined (a generic file).
 */
final class ObjectFormats {
  private ObjectFormats() {}

  /**
   * The format whose properties describe objects of {@code format}: itself when advertised, else
   * Undefined. A value that is not an object format code at all is refused.
   */
  static int describedAs(OperationContext ctx, int format) throws MtpOperationException {
    if (ctx.responder().supportedFormats().contains(format)) return format;
    if (!isObjectFormatCode(format)) {
      throw new MtpOperationException(ResponseCode.INVALID_OBJECT_FORMAT_CODE.value(), String.format("0x%08X is not an object format code", format));
    }
    return ObjectFormat.UNDEFINED.value();
  }

  /**
   * True for the object format code ranges of PTP/MTP: 0x3000–0x3FFF (standard) and 0xB000–0xBFFF
   * (MTP's vendor-extension formats such as 0xB802 or 0xBA05). Format 0 ("any") is a filter
   * value, not a format.
   */
  static boolean isObjectFormatCode(int format) {
    return (format & 0xFFFF_7000) == 0x3000;
  }
}
