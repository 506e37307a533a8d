package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.ObjectMetadata;
import java.io.IOException;

/**
 * 0x101B GetPartialObject (handle, offset UINT32, max bytes UINT32): at most max bytes from offset;
 * the response carries the number actually sent. 0xFFFFFFFF as max means "to the end" (capped at
 * 0xFFFFFFFF bytes, since the count is a UINT32).
 */
public final class GetPartialObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_PARTIAL_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    long offset = Integer.toUnsignedLong(ctx.param(1));
    long max = Integer.toUnsignedLong(ctx.param(2));
    long sent = sendRange(ctx, node, offset, max);
    return OperationResult.ok((int) sent);
  }

  /** Shared with GetPartialObject64. */
  static long sendRange(OperationContext ctx, ObjectNode node, long offset, long max) throws IOException {
    ObjectMetadata m = ObjectStreams.fileMetadata(ctx, node);
    long size = ObjectStreams.contentSize(ctx, node, m);
    if (offset < 0 || offset > size) {
      throw DataPhases.invalidParameter("offset " + Long.toUnsignedString(offset) + " lies beyond the object's " + size + " bytes");
    }
    long length = Math.min(max, size - offset);
    return ObjectStreams.send(ctx, node, offset, length);
  }
}
