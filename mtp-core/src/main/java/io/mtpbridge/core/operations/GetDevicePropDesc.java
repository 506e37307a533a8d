package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DevicePropDesc;
import io.mtpbridge.core.dataset.PropertyForm;
import io.mtpbridge.core.property.DeviceProperty;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** 0x1014 GetDevicePropDesc. */
public final class GetDevicePropDesc implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_DEVICE_PROP_DESC.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    DeviceProperty p = ctx.deviceProperties().get(ctx.param(0));
    DevicePropDesc desc = new DevicePropDesc(p.code(), p.dataType(), p.writable(), p.defaultValue(), p.value(), PropertyForm.None.INSTANCE);
    ByteBuf buf = DataPhases.buffer(desc.encodedLength());
    desc.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
