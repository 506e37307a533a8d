package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.ObjectMetadata;
import java.io.IOException;

/** 0x1009 GetObject: the whole object, streamed. */
public final class GetObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    ObjectMetadata m = ObjectStreams.fileMetadata(ctx, node);
    ObjectStreams.sendWhole(ctx, node, m);
    return OperationResult.ok();
  }
}
