package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.property.DeviceProperty;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x1016 SetDevicePropValue (code; data: the value). The value is decoded as the property's own
 * data type; trailing bytes or a short value are InvalidDevicePropValue.
 */
public final class SetDevicePropValue implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SET_DEVICE_PROP_VALUE.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, 64 * 1024);
    try {
      DeviceProperty p = ctx.deviceProperties().get(ctx.param(0));
      if (!p.writable()) throw new MtpOperationException(ResponseCode.ACCESS_DENIED.value(), "device property is read-only");
      PropertyValue v;
      try {
        v = PropertyValue.decode(buf, p.dataType());
      } catch (MalformedDatasetException e) {
        throw e.withCode(ResponseCode.INVALID_DEVICE_PROP_VALUE);
      }
      if (buf.isReadable()) throw new MtpOperationException(ResponseCode.INVALID_DEVICE_PROP_VALUE.value(), buf.readableBytes() + " bytes after the value");
      p.set(v);
      return OperationResult.ok();
    } finally {
      buf.release();
    }
  }
}
