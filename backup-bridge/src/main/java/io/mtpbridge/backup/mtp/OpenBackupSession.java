package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.BackupDatasets;
import io.mtpbridge.backup.protocol.BackupExtension;
import io.mtpbridge.backup.protocol.BackupExtension.Increment;
import io.mtpbridge.backup.protocol.BackupExtension.Mode;
import io.mtpbridge.backup.protocol.BackupExtension.Scope;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.transport.DataIn;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * 0x9A02: params mode (1 backup, 2 restore), scope (1 full, 2 partial), increment (1 base,
 * 2 increment); data: owner ids and volumes. Switches the mode, then waits for the owners'
 * readiness before it answers (within the readiness timeout, and never longer than
 * {@link BackupExtension#OPEN_SESSION_MAX_SECONDS}), so no data phase ever waits for it and
 * GetSessionStatus right after shows each owner ready, not ready or not connected. Answers the
 * backup session id.
 */
final class OpenBackupSession extends BackupOperation {
  OpenBackupSession(BackupBridge bridge) { super(bridge, BackupOperationCode.OPEN_BACKUP_SESSION); }

  @Override public boolean receivesData() { return true; }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    BackupDatasets.SessionRequest request = readScope(ctx);
    Mode mode = Mode.of(ctx.param(0));
    Scope scope = Scope.of(ctx.param(1));
    Increment inc = Increment.of(ctx.param(2));
    if (mode == null) throw bad("mode must be 1 (backup) or 2 (restore), got " + ctx.param(0));
    if (scope == null) throw bad("scope must be 1 (full) or 2 (partial), got " + ctx.param(1));
    if (inc == null) throw bad("increment must be 1 (base) or 2 (increment), got " + ctx.param(2));
    try {
      BackupSession s = bridge.engine().open(mode == Mode.BACKUP, scope == Scope.PARTIAL, inc == Increment.INCREMENT,
          request.owners(), request.volumes());
      // Adopted first: if the host goes away meanwhile, the end of its MTP session aborts this one.
      bridge.adopt(s, ctx.session().id());
      try {
        s.awaitReadiness(Duration.ofSeconds(BackupExtension.OPEN_SESSION_MAX_SECONDS));
      } catch (IOException | RuntimeException e) {
        s.abort("opening failed: " + e.getMessage());
        throw e;
      }
      return OperationResult.ok(s.id());
    } catch (EngineException e) {
      throw refusal(e);
    }
  }

  private static BackupDatasets.SessionRequest readScope(OperationContext ctx) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    try (DataIn in = ctx.receiveData()) {
      if (in.length() > BackupDatasets.MAX_REQUEST) throw bad("owner list larger than " + BackupDatasets.MAX_REQUEST + " bytes");
      ByteBuffer chunk = ByteBuffer.allocate(8192);
      int n;
      while ((n = in.read(chunk)) >= 0) {
        chunk.flip();
        buf.writeBytes(chunk);
        chunk.clear();
        if (buf.readableBytes() > BackupDatasets.MAX_REQUEST) throw bad("owner list larger than " + BackupDatasets.MAX_REQUEST + " bytes");
        if (n == 0) Thread.onSpinWait();
      }
      return BackupDatasets.decodeRequest(buf);
    } finally {
      buf.release();
    }
  }

  private static MtpOperationException bad(String why) {
    return new MtpOperationException(ResponseCode.INVALID_PARAMETER.value(), why);
  }
}
