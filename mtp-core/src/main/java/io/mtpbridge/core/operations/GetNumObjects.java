package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/** 0x1006 GetNumObjects: the count GetObjectHandles would return for the same parameters. */
public final class GetNumObjects implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_NUM_OBJECTS.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int n = ObjectSelection.select(ctx, ctx.param(0), ctx.param(1), ctx.param(2)).size();
    return OperationResult.ok(n);
  }
}
