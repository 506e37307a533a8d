package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;

/**
 * 0x9A05: the archive as it is produced, with container length 0xFFFFFFFF (its size is unknown
 * until the end). A cancel or reset during the transfer aborts the backup session; owners in the
 * middle get terminateMultiStageOperation().
 */
final class ReadBackupArchive extends BackupOperation {
  ReadBackupArchive(BackupBridge bridge) { super(bridge, BackupOperationCode.READ_BACKUP_ARCHIVE); }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    BackupSession session = session(ctx);
    try {
      // Refuse before the data phase opens, so a refusal is a plain response.
      session.checkReadable();
      try (DataOut out = ctx.sendData(DataIn.UNKNOWN_LENGTH)) {
        OutputStream stream = Channels.newOutputStream(out);
        session.readArchive(stream);
      }
    } catch (EngineException e) {
      throw refusal(e);
    }
    return OperationResult.ok();
  }
}
