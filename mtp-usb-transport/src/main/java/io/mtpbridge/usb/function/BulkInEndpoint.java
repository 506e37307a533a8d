package io.mtpbridge.usb.function;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Device-to-host endpoint (bulk IN or interrupt IN). */
public interface BulkInEndpoint {
  /**
   * Sends all remaining bytes of {@code src} as one transfer, split into max-size packets.
   * No ZLP is added: an empty buffer is how a ZLP is sent. Blocks until the controller took the
   * data (back-pressure). Throws {@link EndpointAbortedException} when {@link #abort()} was called
   * or the endpoint was disabled.
   */
  void write(ByteBuffer src) throws IOException;

  /** Makes a blocked or future {@link #write} fail until {@link #resume()}; drops queued data. */
  void abort();

  void resume();

  /** Stalls the endpoint (answering the host with STALL until it clears the halt). */
  void halt() throws IOException;
}
