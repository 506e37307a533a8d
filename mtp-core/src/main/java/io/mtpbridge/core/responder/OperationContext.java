package io.mtpbridge.core.responder;

import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.property.DevicePropertyRegistry;
import io.mtpbridge.core.property.ObjectPropertyRegistry;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import java.io.IOException;
import java.util.Set;

/**
 * Everything a handler sees of the device for one transaction, as a Netty handler sees only its
 * context: the command, at most one data phase in either direction, the session, the handle index
 * and storages, and the device's registries. Handlers never hold the responder itself; the serve
 * loop implements this per transaction.
 */
public interface OperationContext {

  Command command();

  /** Parameter {@code i} of the command (0 when not sent). */
  default int param(int i) { return command().param(i); }

  /** The open session, or null for operations allowed outside one. */
  Session session();

  /** Opens the host's data phase. A transaction has at most one data phase. */
  DataIn receiveData() throws IOException;

  /** Opens a data phase toward the host of {@code length} bytes, or -1 for unknown. */
  DataOut sendData(long length) throws IOException;

  /**
   * Throws {@link io.mtpbridge.core.transport.TransactionCancelledException} (or a reset) when the
   * host cancelled this transaction: long operations call it between objects.
   */
  void checkCancelled() throws IOException;

  /** Handles ↔ storage objects (shared by every session). */
  ObjectIndex objects();

  /** The storages the host can reach, by StorageID. */
  StorageRegistry storages();

  DevicePropertyRegistry deviceProperties();

  /** Object references kept across sessions and restarts, or null when the device keeps none. */
  ObjectReferences references();

  ObjectPropertyRegistry objectProperties();

  /** Object formats the device advertises. */
  Set<Integer> supportedFormats();

  /** The DeviceInfo dataset: built from what is registered and nothing else. */
  DeviceInfo deviceInfo();

  /** Opens session {@code id} (the OpenSession handler, after checking the rules). */
  void openSession(int id);

  /** Ends the open session as the host asked (CloseSession). */
  void closeSession();
}
