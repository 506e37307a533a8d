package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.Session;

/**
 * 0x1002 OpenSession. TransactionID must be 0; a session id of 0 is invalid. When a session is
 * already open the answer is SessionAlreadyOpen carrying the open session's id (libmtp and go-mtpfs
 * then close it and open again).
 */
public final class OpenSession implements OperationHandler {
  @Override public int operationCode() { return OperationCode.OPEN_SESSION.value(); }
  @Override public boolean requiresSession() { return false; }

  @Override
  public OperationResult handle(OperationContext ctx) {
    Session open = ctx.session();
    if (open != null) return OperationResult.of(ResponseCode.SESSION_ALREADY_OPEN.value(), open.id());
    if (ctx.command().transactionId() != 0) return OperationResult.of(ResponseCode.INVALID_TRANSACTION_ID.value());
    int id = ctx.param(0);
    if (id == 0) return OperationResult.of(ResponseCode.INVALID_PARAMETER.value());
    ctx.openSession(id);
    return OperationResult.ok();
  }
}
