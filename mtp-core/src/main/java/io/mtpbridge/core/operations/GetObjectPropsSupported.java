package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** 0x9801 GetObjectPropsSupported (format): the registered properties that objects of that format carry. */
public final class GetObjectPropsSupported implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_PROPS_SUPPORTED.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int format = ctx.param(0);
    ObjectFormats.requireSupported(ctx, format);
    int[] codes = ctx.objectProperties().forFormat(format).stream().mapToInt(ObjectProperty::code).toArray();
    ByteBuf buf = DataPhases.buffer(PtpArrays.uint16ArrayLength(codes.length));
    PtpArrays.writeUint16Array(codes, buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
