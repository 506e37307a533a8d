package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectPropDesc;
import io.mtpbridge.core.dataset.PropertyForm;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x9802 GetObjectPropDesc (property, format). libmtp asks for ObjectSize (UINT64) of every format
 * listed; it succeeds for every advertised format because all standard properties apply to all.
 */
public final class GetObjectPropDesc implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_PROP_DESC.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int format = ctx.param(1);
    ObjectFormats.requireSupported(ctx, format);
    ObjectProperty p = ctx.objectProperties().get(ctx.param(0));
    if (!p.appliesTo(format)) throw new MtpOperationException(ResponseCode.OBJECT_PROP_NOT_SUPPORTED.value(), "not for this format");
    PropertyForm form = p.formFlag() == ObjectProperty.FORM_DATE_TIME ? PropertyForm.DateTime.INSTANCE : PropertyForm.None.INSTANCE;
    ObjectPropDesc desc = new ObjectPropDesc(p.code(), p.dataType(), p.writable(), p.defaultValue(), p.groupCode(), form);
    ByteBuf buf = DataPhases.buffer(desc.encodedLength());
    desc.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
