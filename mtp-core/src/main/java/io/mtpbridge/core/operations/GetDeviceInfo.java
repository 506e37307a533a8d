package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x1001 GetDeviceInfo: the dataset the responder builds from what is registered (see
 * {@link io.mtpbridge.core.responder.MtpResponder#deviceInfo()}).
 */
public final class GetDeviceInfo implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_DEVICE_INFO.value(); }
  @Override public boolean requiresSession() { return false; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    DeviceInfo info = ctx.deviceInfo();
    ByteBuf buf = DataPhases.buffer(info.encodedLength());
    info.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
