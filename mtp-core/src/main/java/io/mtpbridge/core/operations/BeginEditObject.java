package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectMetadata;
import java.io.IOException;

/**
 * 0x95C4 BeginEditObject (handle), Android: opens the file for SendPartialObject and
 * TruncateObject until EndEditObject. Read-only storages and protected objects refuse.
 */
public final class BeginEditObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.BEGIN_EDIT_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    ObjectNode node = ctx.objects().get(handle);
    ObjectMetadata m = ObjectStreams.fileMetadata(ctx, node);
    node.storage().requireWritable();
    if (m.writeProtected()) return OperationResult.of(ResponseCode.OBJECT_WRITE_PROTECTED.value());
    if (ctx.session().editors().containsKey(handle)) {
      throw new MtpOperationException(ResponseCode.DEVICE_BUSY.value(), "object is already being edited");
    }
    ObjectEditor editor = node.storage().storage().openEditor(node.path());
    ctx.session().editors().put(handle, editor);
    return OperationResult.ok();
  }
}
