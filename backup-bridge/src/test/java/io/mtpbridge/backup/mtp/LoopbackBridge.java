package io.mtpbridge.backup.mtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.core.loopback.LoopbackTransport;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.MtpResponder;
import java.io.IOException;

/**
 * The host side of the bridge's tests: a responder with the standard operations and the backup
 * extension of {@code engine}, served on its own thread to an in-memory loopback host that has
 * opened session 1.
 */
final class LoopbackBridge implements AutoCloseable {
  final MtpResponder responder;
  final LoopbackTransport host = new LoopbackTransport();
  private final Thread serving;

  LoopbackBridge(BackupEngine engine) throws IOException {
    responder = new BackupBridge(engine).install(MtpResponder.builder().install(StandardOperations.SET)).build();
    serving = new Thread(() -> responder.serve(host), "responder");
    serving.start();
    assertEquals(0x2001, host.transact(0x1002, 0, 1).code(), "OpenSession");
  }

  /** Ends the host's side and waits for the responder to finish serving. */
  @Override public void close() throws InterruptedException {
    host.close();
    serving.join(5000);
  }
}
