package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;

/** Checks a format code parameter against the formats the device advertises. */
final class ObjectFormats {
  private ObjectFormats() {}

  static void requireSupported(OperationContext ctx, int format) throws MtpOperationException {
    if (!ctx.responder().supportedFormats().contains(format)) {
      throw new MtpOperationException(ResponseCode.INVALID_OBJECT_FORMAT_CODE.value(), String.format("format 0x%04X is not supported", format));
    }
  }
}
