package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/**
 * 0x95C1 GetPartialObject64 (Android): handle, offset low 32 bits, offset high 32 bits, max bytes
 * (UINT32). gvfs and go-mtpfs read files this way; the response carries the bytes sent.
 */
public final class GetPartialObject64 implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_PARTIAL_OBJECT64.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    long offset = Integer.toUnsignedLong(ctx.param(1)) | (Integer.toUnsignedLong(ctx.param(2)) << 32);
    long max = Integer.toUnsignedLong(ctx.param(3));
    long sent = GetPartialObject.sendRange(ctx, node, offset, max);
    return OperationResult.ok((int) sent);
  }
}
