package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** 0x9803 GetObjectPropValue (handle, property). */
public final class GetObjectPropValue implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_PROP_VALUE.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectView v = ObjectActions.view(ctx, ctx.objects().get(ctx.param(0)));
    ObjectProperty p = ctx.objectProperties().get(ctx.param(1));
    if (!p.appliesTo(v.formatCode())) throw new MtpOperationException(ResponseCode.OBJECT_PROP_NOT_SUPPORTED.value(), "not for this object's format");
    PropertyValue value = p.value(v);
    ByteBuf buf = DataPhases.buffer(value.encodedLength());
    value.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
