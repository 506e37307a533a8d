package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.FilesystemType;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.StorageInfo;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.StorageSlot;
import io.mtpbridge.core.storage.StorageDetails;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** 0x1005 GetStorageInfo: identity and free space, read fresh from the storage. */
public final class GetStorageInfo implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_STORAGE_INFO.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    StorageSlot slot = ctx.storages().get(ctx.param(0));
    if (slot == null) throw new MtpOperationException(ResponseCode.INVALID_STORAGE_ID.value(), String.format("no storage 0x%08X", ctx.param(0)));
    StorageInfo info = toDataset(slot.storage().details());
    ByteBuf buf = DataPhases.buffer(info.encodedLength());
    info.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }

  static StorageInfo toDataset(StorageDetails d) {
    int fs = d.hierarchical() ? FilesystemType.GENERIC_HIERARCHICAL.value() : FilesystemType.GENERIC_FLAT.value();
    return new StorageInfo(d.type().value(), fs, d.access().value(), Math.max(0, d.capacity()), Math.max(0, d.freeSpace()),
        StorageInfo.FREE_OBJECTS_NOT_APPLICABLE, d.description(), d.volumeLabel());
  }
}
