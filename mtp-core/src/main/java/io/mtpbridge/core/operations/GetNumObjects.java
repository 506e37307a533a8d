package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;
import java.util.Set;

/** 0x1006 GetNumObjects: the count GetObjectHandles would return for the same parameters. */
public final class GetNumObjects implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_NUM_OBJECTS.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    if (ctx.param(2) == 0) {
      @SuppressWarnings("unchecked") Set<ObjectNode>[] skipped = new Set[1];
      long n = GetObjectHandles.countEveryObject(ctx, ObjectSelection.storages(ctx, ctx.param(0)), ctx.param(1), skipped);
      return OperationResult.ok((int) Math.min(n, 0xFFFFFFFFL));
    }
    int n = ObjectSelection.selectHandles(ctx, ctx.param(0), ctx.param(1), ctx.param(2)).length;
    return OperationResult.ok(n);
  }
}
