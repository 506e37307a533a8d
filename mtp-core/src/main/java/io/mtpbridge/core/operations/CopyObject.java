package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/**
 * 0x101A CopyObject (handle, storage, new parent): copies an object, a folder with its whole tree,
 * within or between storages, streaming through the storage SPI. Answers the copy's handle.
 */
public final class CopyObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.COPY_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    ObjectNode target = ObjectActions.resolveParent(ctx, ctx.param(1), ctx.param(2));
    ObjectNode copy = ObjectActions.copyTree(ctx, node, target);
    return OperationResult.ok(copy.handle());
  }
}
