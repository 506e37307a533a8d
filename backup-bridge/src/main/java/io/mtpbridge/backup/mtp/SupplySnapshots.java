package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.transport.DataIn;
import java.io.IOException;

/** 0x9A03: the previous set's snapshots (a tar; a whole previous backup.tar will do), streamed in. */
final class SupplySnapshots extends BackupOperation {
  static final int CODE = 0x9A03;

  SupplySnapshots(BackupBridge bridge) { super(bridge, CODE); }

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
