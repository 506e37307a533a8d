package io.mtpbridge.core.responder;

import java.io.IOException;

/**
 * Handles one MTP operation code. Registering a handler is what makes the operation appear in
 * DeviceInfo's OperationsSupported; there is no other list.
 *
 * <p>A handler runs on the protocol thread. It reads or writes the data phase through the
 * {@link OperationContext}, and either returns the result or throws {@link MtpOperationException}
 * (or a {@link io.mtpbridge.core.storage.StorageException}, mapped to its response code). When the
 * host cancels, the data-phase streams throw {@link io.mtpbridge.core.transport.TransactionCancelledException}:
 * the handler lets it propagate after cleaning up (try-with-resources), and no response is sent.
 */
public interface OperationHandler {

  /** The 16-bit operation code. */
  int operationCode();

  /** False only for the operations allowed outside a session (GetDeviceInfo, OpenSession). */
  default boolean requiresSession() { return true; }

  /**
   * True when the host sends a data phase with this operation. The responder then drains that
   * phase even when it refuses the operation before the handler reads it, so the next command is
   * framed correctly.
   */
  default boolean receivesData() { return false; }

  OperationResult handle(OperationContext context) throws IOException;
}
