package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x9804 SetObjectPropValue (handle, property; data: value). ObjectFileName renames the object
 * (it keeps its handle), DateModified sets the modification time.
 */
public final class SetObjectPropValue implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SET_OBJECT_PROP_VALUE.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, 1024 * 1024);
    try {
      ObjectNode node = ctx.objects().get(ctx.param(0));
      ObjectProperty p = ctx.objectProperties().get(ctx.param(1));
      PropertyValue value = PropertyValue.decode(buf, p.dataType());
      if (buf.isReadable()) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_PROP_VALUE.value(), buf.readableBytes() + " bytes after the value");
      apply(ctx, node, p, value);
      return OperationResult.ok();
    } finally {
      buf.release();
    }
  }

  /** Shared with SetObjectPropList. */
  static void apply(OperationContext ctx, ObjectNode node, ObjectProperty p, PropertyValue value) throws IOException {
    ObjectView v = ObjectActions.view(ctx, node);
    if (!p.appliesTo(v.formatCode())) throw new MtpOperationException(ResponseCode.OBJECT_PROP_NOT_SUPPORTED.value(), "not for this object's format");
    if (!p.writable()) throw new MtpOperationException(ResponseCode.ACCESS_DENIED.value(), "object property is read-only");
    if (value.type() != p.dataType()) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_PROP_FORMAT.value(), "wrong data type " + value.type());
    node.storage().requireWritable();
    if (v.metadata().writeProtected()) throw new MtpOperationException(ResponseCode.OBJECT_WRITE_PROTECTED.value(), node + " is protected");
    p.set(ctx, v, value);
  }
}
