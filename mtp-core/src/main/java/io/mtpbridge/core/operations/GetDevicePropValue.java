package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** 0x1015 GetDevicePropValue. */
public final class GetDevicePropValue implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_DEVICE_PROP_VALUE.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    PropertyValue v = ctx.deviceProperties().get(ctx.param(0)).value();
    ByteBuf buf = DataPhases.buffer(v.encodedLength());
    v.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
