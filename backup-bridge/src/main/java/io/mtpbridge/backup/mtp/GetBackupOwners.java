package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.protocol.BackupDatasets;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/** 0x9A01: every registered owner with kind, status, volumes, flags, expected size, last error. */
final class GetBackupOwners extends BackupOperation {
  GetBackupOwners(BackupBridge bridge) { super(bridge, BackupOperationCode.GET_BACKUP_OWNERS); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf data = Unpooled.buffer();
    BackupDatasets.encodeOwners(bridge.engine().owners(), data);
    send(ctx, data);
    return OperationResult.ok();
  }
}
