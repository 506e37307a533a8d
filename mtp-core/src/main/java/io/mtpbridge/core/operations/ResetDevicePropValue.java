package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.property.DeviceProperty;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/** 0x1017 ResetDevicePropValue (code, or 0xFFFFFFFF for every settable property). */
public final class ResetDevicePropValue implements OperationHandler {
  @Override public int operationCode() { return OperationCode.RESET_DEVICE_PROP_VALUE.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int code = ctx.param(0);
    if (code == 0xFFFFFFFF) {
      for (DeviceProperty p : ctx.deviceProperties().all()) if (p.writable()) p.reset();
      return OperationResult.ok();
    }
    DeviceProperty p = ctx.deviceProperties().get(code);
    if (!p.writable()) throw new MtpOperationException(ResponseCode.ACCESS_DENIED.value(), "device property is read-only");
    p.reset();
    return OperationResult.ok();
  }
}
