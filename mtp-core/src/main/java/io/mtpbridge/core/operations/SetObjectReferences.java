package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.ObjectReferences;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * 0x9811 SetObjectReferences (handle; data: AUINT32 of handles). Every referenced handle must name
 * an object (else InvalidObjectReference). Kept by storage and path across sessions and restarts
 * ({@link ObjectReferences}); more than {@link ObjectReferences#MAX_REFERENCES} in all is StoreFull.
 */
public final class SetObjectReferences implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SET_OBJECT_REFERENCES.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, DataPhases.MAX_DATASET);
    int[] handles;
    try {
      handles = PtpArrays.readUint32Array(buf);
      if (buf.isReadable()) throw new MtpOperationException(ResponseCode.INVALID_DATASET.value(), "bytes after the array");
    } finally {
      buf.release();
    }
    ObjectNode node = ctx.objects().get(ctx.param(0));
    // The references are kept outside the storage, yet they change an object of it: a playlist
    // of a read-only storage stays as it is.
    node.storage().requireWritable();
    if (handles.length > ObjectReferences.MAX_REFERENCES) {
      throw new MtpOperationException(ResponseCode.STORE_FULL.value(), handles.length + " references are more than the device keeps");
    }
    List<ObjectReferences.Ref> refs = new ArrayList<>(handles.length);
    for (int h : handles) {
      ObjectNode target = ctx.objects().find(h);
      if (target == null) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_REFERENCE.value(), String.format("no object 0x%08X", h));
      refs.add(refOf(target));
    }
    ctx.references().set(refOf(node), refs);
    return OperationResult.ok();
  }

  static ObjectReferences.Ref refOf(ObjectNode n) { return new ObjectReferences.Ref(n.storageId(), n.path()); }
}
