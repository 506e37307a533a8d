package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.engine.OwnerStatus;
import io.mtpbridge.backup.engine.SessionStatus;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import java.io.IOException;

/**
 * 0x9A07: params session id, outcome (1 commit, 2 abort). Commit ends a restore with
 * restoreComplete and the owners' checksum check. Response parameter: how many of the session's
 * owners ended failed (the session's status is gone after close).
 */
final class CloseBackupSession extends BackupOperation {
  static final int CODE = 0x9A07;

  CloseBackupSession(BackupBridge bridge) { super(bridge, CODE); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    BackupSession session = session(ctx);
    int outcome = ctx.param(1);
    if (outcome != 1 && outcome != 2) {
      throw new MtpOperationException(ResponseCode.INVALID_PARAMETER.value(), "outcome must be 1 (commit) or 2 (abort), got " + outcome);
    }
    SessionStatus end;
    try {
      end = session.close(outcome == 1);
    } catch (EngineException e) {
      throw refusal(e);
    } finally {
      bridge.release(session);
    }
    int failed = 0;
    for (SessionStatus.Owner o : end.owners()) if (o.status() != OwnerStatus.READY) failed++;
    return OperationResult.ok(failed);
  }
}
