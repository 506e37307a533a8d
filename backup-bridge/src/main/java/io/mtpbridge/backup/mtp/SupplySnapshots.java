package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.transport.DataIn;
import java.io.IOException;

/** 0x9A03: the previous set's snapshots (a tar; a whole previous backup.tar will do), streamed in. */
final class SupplySnapshots extends BackupOperation {
  SupplySnapshots(BackupBridge bridge) { super(bridge, BackupOperationCode.SUPPLY_SNAPSHOTS); }

  @Override public boolean receivesData() { return true; }

  @Override public OperationResult handle(OperationContext ctx) throws IOException {
    var session = session(ctx);
    try (DataIn in = ctx.receiveData()) {
      HostStream stream = new HostStream(in);
      try {
        session.supplySnapshots(stream);
      } catch (EngineException e) {
        stream.rethrowFailure();
        throw e;
      }
    } catch (EngineException e) {
      throw refusal(e);
    }
    return OperationResult.ok();
  }
}
