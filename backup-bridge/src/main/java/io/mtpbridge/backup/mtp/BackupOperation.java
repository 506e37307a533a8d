package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** What the backup operations share: finding the caller's backup session, mapping engine errors. */
abstract class BackupOperation implements OperationHandler {
  final BackupBridge bridge;
  private final BackupOperationCode code;

  BackupOperation(BackupBridge bridge, BackupOperationCode code) {
    this.bridge = bridge;
    this.code = code;
  }

  @Override public int operationCode() { return code.value(); }

  /** The backup session named by parameter 1, which must belong to the caller's MTP session. */
  BackupSession session(OperationContext ctx) throws MtpOperationException {
    int id = ctx.param(0);
    BackupSession s = bridge.engine().session(id);
    if (s == null || !bridge.owns(ctx.session().id(), s)) {
      throw new MtpOperationException(ResponseCode.INVALID_PARAMETER.value(), "no backup session " + Integer.toUnsignedString(id) + " in this MTP session");
    }
    return s;
  }

  static MtpOperationException refusal(EngineException e) {
    return new MtpOperationException(e.error().responseCode(), e.getMessage());
  }

  /** Sends a small dataset built in memory. */
  static void send(OperationContext ctx, ByteBuf data) throws IOException {
    try {
      ByteBuffer nio = data.nioBuffer();
      try (WritableByteChannel out = ctx.sendData(nio.remaining())) {
        while (nio.hasRemaining()) out.write(nio);
      }
    } finally {
      data.release();
    }
  }

}
