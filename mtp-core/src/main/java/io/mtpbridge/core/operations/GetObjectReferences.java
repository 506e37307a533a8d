package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Arrays;

/**
 * 0x9810 GetObjectReferences (handle): the references set in this session, without handles whose
 * objects have since gone. An object nobody set references on has none (an empty array).
 */
public final class GetObjectReferences implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_REFERENCES.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    ctx.objects().get(handle);
    int[] refs = ctx.session().references().getOrDefault(handle, new int[0]);
    int[] live = Arrays.stream(refs).filter(h -> ctx.objects().find(h) != null).toArray();
    ByteBuf buf = DataPhases.buffer(PtpArrays.uint32ArrayLength(live.length));
    PtpArrays.writeUint32Array(live, buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
