package io.mtpbridge.backup.mtp;

import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/** 0x9A01: every registered owner with kind, status, volumes, flags, expected size, last error. */
final class GetBackupOwners extends BackupOperation {
  static final int CODE = 0x9A01;

  GetBackupOwners(BackupBridge bridge) { super(bridge, CODE); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    send(ctx, BackupDatasets.owners(bridge.engine().owners()));
    return OperationResult.ok();
  }
}
