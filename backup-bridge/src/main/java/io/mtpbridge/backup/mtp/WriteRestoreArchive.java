package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.transport.DataIn;
import java.io.IOException;

/**
 * 0x9A06: one archive of the restore chain (length may be 0xFFFFFFFF). It is verified completely
 * before any owner sees a byte; a bad archive answers ArchiveInvalid (0xAA06) and hands over
 * nothing. Nothing is applied before CloseBackupSession(commit). Response parameters: owners whose
 * data was taken (to be applied at commit), owners failed or skipped.
 */
final class WriteRestoreArchive extends BackupOperation {
  WriteRestoreArchive(BackupBridge bridge) { super(bridge, BackupOperationCode.WRITE_RESTORE_ARCHIVE); }

  @Override public boolean receivesData() { return true; }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    BackupSession session = session(ctx);
    BackupSession.RestoreReport report;
    try {
      session.checkWritable();
      try (DataIn in = ctx.receiveData()) {
        HostStream stream = new HostStream(in);
        try {
          report = session.writeRestoreArchive(stream);
        } catch (EngineException e) {
          stream.rethrowFailure();
          throw e;
        }
      }
    } catch (EngineException e) {
      throw refusal(e);
    }
    int ok = report.accepted();
    return OperationResult.ok(ok, report.outcomes().size() - ok);
  }
}
