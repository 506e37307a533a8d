package io.mtpbridge.core.transport;

import java.io.IOException;

/**
 * What the responder needs from a transport (USB over FunctionFS, the simulator's virtual
 * controller, or an in-memory test link). One protocol thread calls the methods in protocol order:
 * command, optional data phase, response. Only {@link #sendEvent} may be called from other threads.
 *
 * <p>Framing (container headers, packet sizes, ZLPs) is the transport's business; the responder
 * sees payloads only.
 */
public interface MtpTransport {

  /**
   * Blocks until the next operation request. Throws {@link TransportResetException} when the host
   * reset the device or disconnected (the responder closes its session and calls again), and
   * {@link TransportClosedException} when the transport is shut down for good.
   */
  Command receiveCommand() throws IOException;

  /**
   * Opens the initiator's data phase for {@code command}. The transport checks that the data
   * container carries the command's code and transaction id and throws
   * {@link MtpProtocolException} if not.
   */
  DataIn receiveData(Command command) throws IOException;

  /**
   * Opens a data phase toward the initiator for {@code command}, of {@code length} payload bytes
   * or {@link DataIn#UNKNOWN_LENGTH} when the size is not known in advance (sent as 0xFFFFFFFF and
   * ended by a short packet).
   */
  DataOut sendData(Command command, long length) throws IOException;

  /** Sends the response that ends a transaction. */
  void sendResponse(Response response) throws IOException;

  /**
   * Throws {@link TransactionCancelledException} when the host has cancelled {@code command}'s
   * transaction, {@link TransportResetException} when it reset the device or went away, and
   * {@link TransportClosedException} when the transport is shut down. Handlers of long operations
   * without a data phase (CopyObject, MoveObject, DeleteObject of a tree) call it between objects,
   * since no data-phase stream is there to tell them.
   */
  default void checkCancelled(Command command) throws IOException {}

  /**
   * Queues an event for the interrupt pipe. Never blocks: when the host does not read events,
   * the transport drops (and logs) them rather than stall the protocol.
   */
  void sendEvent(Event event);
}
