package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;

/** 0x1003 CloseSession: aborts what the session left pending and forgets its handles. */
public final class CloseSession implements OperationHandler {
  @Override public int operationCode() { return OperationCode.CLOSE_SESSION.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) {
    ctx.closeSession();
    return OperationResult.ok();
  }
}
