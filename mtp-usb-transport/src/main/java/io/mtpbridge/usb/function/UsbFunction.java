package io.mtpbridge.usb.function;

import java.io.Closeable;
import java.io.IOException;

/**
 * One USB function with the MTP endpoint set: bulk IN, bulk OUT, interrupt IN, and the control
 * requests addressed to it. The Linux FunctionFS backend and the simulator's virtual controller
 * both implement this, so the same framing and responder run on either.
 */
public interface UsbFunction extends Closeable {
  /**
   * Publishes descriptors and strings and starts delivering lifecycle events and control
   * requests to {@code listener}. Returns once the function can be bound to a controller.
   */
  void start(UsbFunctionListener listener) throws IOException;

  BulkInEndpoint bulkIn();

  BulkOutEndpoint bulkOut();

  /** Interrupt IN for events. */
  BulkInEndpoint interruptIn();
}
