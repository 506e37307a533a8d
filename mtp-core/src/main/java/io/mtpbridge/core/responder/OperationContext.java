package io.mtpbridge.core.responder;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.MtpTransport;
import java.io.IOException;

/**
 * What a handler gets for one transaction: the command, the data phase in either direction, the
 * session, and the responder's registries. A transaction has at most one data phase.
 */
public final class OperationContext {
  private final MtpResponder responder;
  private final MtpTransport transport;
  private final Command command;
  private final Session session;
  private DataIn dataIn;
  private DataOut dataOut;

  OperationContext(MtpResponder responder, MtpTransport transport, Command command, Session session) {
    this.responder = responder;
    this.transport = transport;
    this.command = command;
    this.session = session;
  }

  public Command command() { return command; }

  /** Parameter {@code i} of the command (0 when not sent). */
  public int param(int i) { return command.param(i); }

  /** The open session, or null for operations allowed outside one. */
  public Session session() { return session; }

  public MtpResponder responder() { return responder; }
  public ObjectIndex objects() { return responder.objects(); }
  public StorageRegistry storages() { return responder.storages(); }

  /** Opens the host's data phase. */
  public DataIn receiveData() throws IOException {
    if (dataIn != null || dataOut != null) throw new IllegalStateException("a transaction has one data phase");
    dataIn = transport.receiveData(command);
    return dataIn;
  }

  /** Opens a data phase toward the host of {@code length} bytes, or -1 for unknown. */
  public DataOut sendData(long length) throws IOException {
    if (dataIn != null || dataOut != null) throw new IllegalStateException("a transaction has one data phase");
    dataOut = transport.sendData(command, length);
    return dataOut;
  }

  boolean dataPhaseOpened() { return dataIn != null || dataOut != null; }
  DataIn dataIn() { return dataIn; }
  DataOut dataOut() { return dataOut; }
}
