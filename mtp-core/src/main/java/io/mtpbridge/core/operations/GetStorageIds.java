package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.StorageSlot;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;

/** 0x1004 GetStorageIDs. */
public final class GetStorageIds implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_STORAGE_IDS.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    List<StorageSlot> all = ctx.storages().all();
    int[] ids = all.stream().mapToInt(StorageSlot::id).toArray();
    ByteBuf buf = DataPhases.buffer(PtpArrays.uint32ArrayLength(ids.length));
    PtpArrays.writeUint32Array(ids, buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }
}
