package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.BackupExtension.Outcome;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionStatus;
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
  CloseBackupSession(BackupBridge bridge) { super(bridge, BackupOperationCode.CLOSE_BACKUP_SESSION); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    BackupSession session = session(ctx);
    Outcome outcome = Outcome.of(ctx.param(1));
    if (outcome == null) {
      throw new MtpOperationException(ResponseCode.INVALID_PARAMETER.value(), "outcome must be 1 (commit) or 2 (abort), got " + ctx.param(1));
    }
    SessionStatus end;
    try {
      end = session.close(outcome == Outcome.COMMIT);
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
