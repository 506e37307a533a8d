package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x9811 SetObjectReferences (handle; data: AUINT32 of handles). Every referenced handle must name
 * an object (else InvalidObjectReference). Kept for the session (see {@link io.mtpbridge.core.responder.Session#references}).
 */
public final class SetObjectReferences implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SET_OBJECT_REFERENCES.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, DataPhases.MAX_DATASET);
    int[] refs;
    try {
      refs = PtpArrays.readUint32Array(buf);
      if (buf.isReadable()) throw new MtpOperationException(ResponseCode.INVALID_DATASET.value(), "bytes after the array");
    } finally {
      buf.release();
    }
    int handle = ctx.param(0);
    ctx.objects().get(handle);
    for (int r : refs) {
      if (ctx.objects().find(r) == null) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_REFERENCE.value(), String.format("no object 0x%08X", r));
    }
    ctx.session().references().put(handle, refs);
    return OperationResult.ok();
  }
}
