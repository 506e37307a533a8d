package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;

/** Checks a format code parameter of the object-property operations. */
final class ObjectFormats {
  private ObjectFormats() {}

  /**
   * Accepts every object format code (0x3xxx PTP, 0xBxxx MTP) besides the advertised ones: a file
   * system stores any file, and hosts choose the format from the extension — libmtp sends a
   * ".bin" as 0xB802 and gives up on the upload when GetObjectPropsSupported refuses that format.
   * Codes outside the format ranges are InvalidObjectFormatCode.
   */
  static void requireSupported(OperationContext ctx, int format) throws MtpOperationException {
    if (ctx.supportedFormats().contains(format)) return;
    if ((format & 0x7000) != 0x3000 || (format & 0xFFFF0000) != 0) {
      throw new MtpOperationException(ResponseCode.INVALID_OBJECT_FORMAT_CODE.value(), String.format("0x%04X is not an object format code", format));
    }
  }
}
