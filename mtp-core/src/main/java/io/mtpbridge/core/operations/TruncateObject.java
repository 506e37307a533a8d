package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/** 0x95C3 TruncateObject (handle, size low, size high), Android: sets the size of an object open for editing. */
public final class TruncateObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.TRUNCATE_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    long size = Integer.toUnsignedLong(ctx.param(1)) | (Integer.toUnsignedLong(ctx.param(2)) << 32);
    if (size < 0) throw DataPhases.invalidParameter("size beyond 2^63");
    var editor = Edits.editor(ctx, handle);
    ObjectNode node = ctx.objects().get(handle);
    ctx.session().hostChanged(node.storageId(), node.path());
    editor.truncate(size);
    return OperationResult.ok();
  }
}
