package io.mtpbridge.core.responder;

import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.property.DevicePropertyRegistry;
import io.mtpbridge.core.property.ObjectPropertyRegistry;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.MtpTransport;
import java.io.IOException;
import java.util.Set;

/** The serve loop's {@link OperationContext} for one transaction; it remembers the data phase opened. */
final class TransactionContext implements OperationContext {
  private final MtpResponder responder;
  private final MtpTransport transport;
  private final Command command;
  private final Session session;
  private DataIn dataIn;
  private DataOut dataOut;

  TransactionContext(MtpResponder responder, MtpTransport transport, Command command, Session session) {
    this.responder = responder;
    this.transport = transport;
    this.command = command;
    this.session = session;
  }

  @Override public Command command() { return command; }
  @Override public Session session() { return session; }
  @Override public ObjectIndex objects() { return responder.objects(); }
  @Override public StorageRegistry storages() { return responder.storages(); }
  @Override public DevicePropertyRegistry deviceProperties() { return responder.deviceProperties(); }
  @Override public ObjectReferences references() { return responder.references(); }
  @Override public ObjectPropertyRegistry objectProperties() { return responder.objectProperties(); }
  @Override public Set<Integer> supportedFormats() { return responder.supportedFormats(); }
  @Override public DeviceInfo deviceInfo() { return responder.deviceInfo(); }
  @Override public void openSession(int id) { responder.openSession(id); }
  @Override public void closeSession() { responder.endSession(SessionListener.End.CLOSED_BY_HOST); }

  @Override public void checkCancelled() throws IOException { transport.checkCancelled(command); }

  @Override
  public DataIn receiveData() throws IOException {
    if (dataIn != null || dataOut != null) throw new IllegalStateException("a transaction has one data phase");
    dataIn = transport.receiveData(command);
    return dataIn;
  }

  @Override
  public DataOut sendData(long length) throws IOException {
    if (dataIn != null || dataOut != null) throw new IllegalStateException("a transaction has one data phase");
    dataOut = transport.sendData(command, length);
    return dataOut;
  }

  DataIn dataIn() { return dataIn; }
  DataOut dataOut() { return dataOut; }
}
