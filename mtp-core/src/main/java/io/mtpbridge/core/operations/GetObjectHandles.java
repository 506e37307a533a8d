package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;

/**
 * 0x1007 GetObjectHandles (storage, format, parent): parent 0xFFFFFFFF = root, 0 = all objects,
 * storage 0 or 0xFFFFFFFF = all storages.
 */
public final class GetObjectHandles implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_HANDLES.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    List<ObjectNode> nodes = ObjectSelection.select(ctx, ctx.param(0), ctx.param(1), ctx.param(2));
    ByteBuf buf = DataPhases.buffer(4 + 4 * nodes.size());
    buf.writeIntLE(nodes.size());
    for (ObjectNode n : nodes) buf.writeIntLE(n.handle());
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
