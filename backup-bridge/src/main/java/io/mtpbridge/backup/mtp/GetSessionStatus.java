package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.protocol.BackupDatasets;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/** 0x9A04: the session's state and each owner's status, error, bytes done and expected. */
final class GetSessionStatus extends BackupOperation {
  GetSessionStatus(BackupBridge bridge) { super(bridge, BackupOperationCode.GET_SESSION_STATUS); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf data = Unpooled.buffer();
    BackupDatasets.encodeStatus(session(ctx).status(), data);
    send(ctx, data);
    return OperationResult.ok();
  }
}
