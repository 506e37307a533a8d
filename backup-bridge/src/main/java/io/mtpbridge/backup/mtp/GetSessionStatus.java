package io.mtpbridge.backup.mtp;

import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/** 0x9A04: the session's state and each owner's status, error, bytes done and expected. */
final class GetSessionStatus extends BackupOperation {
  static final int CODE = 0x9A04;

  GetSessionStatus(BackupBridge bridge) { super(bridge, CODE); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    send(ctx, BackupDatasets.status(session(ctx).status()));
    return OperationResult.ok();
  }
}
