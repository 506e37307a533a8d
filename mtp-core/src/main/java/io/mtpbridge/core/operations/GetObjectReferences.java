package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.ObjectReferences;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.StorageSlot;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;

/**
 * 0x9810 GetObjectReferences (handle): the references set on the object, kept by path across
 * sessions and restarts ({@link ObjectReferences}), as the handles those objects have now; objects
 * that have gone since are left out. An object nobody set references on has none (an empty array).
 * Offered only when the device keeps references (a references file is configured).
 */
public final class GetObjectReferences implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_REFERENCES.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    List<ObjectReferences.Ref> refs = ctx.references().get(SetObjectReferences.refOf(node));
    int[] handles = new int[refs.size()];
    int n = 0;
    for (ObjectReferences.Ref r : refs) {
      StorageSlot slot = ctx.storages().get(r.storageId());
      ObjectNode target = slot == null ? null : ctx.objects().resolve(slot, r.path());
      if (target != null && !target.isRoot()) handles[n++] = target.handle();
    }
    int[] live = java.util.Arrays.copyOf(handles, n);
    ByteBuf buf = DataPhases.buffer(PtpArrays.uint32ArrayLength(live.length));
    PtpArrays.writeUint32Array(live, buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
