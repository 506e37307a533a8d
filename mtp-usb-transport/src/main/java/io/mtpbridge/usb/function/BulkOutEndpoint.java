package io.mtpbridge.usb.function;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Host-to-device bulk endpoint. */
public interface BulkOutEndpoint {
  /**
   * Reads one transfer into {@code dst} (whose remaining space should be a multiple of the max
   * packet size): returns when {@code dst} is full or a short packet ended the transfer.
   * Returns the byte count; 0 means a zero-length packet arrived. Throws
   * {@link EndpointAbortedException} when {@link #abort()} was called or the endpoint was disabled.
   */
  int read(ByteBuffer dst) throws IOException;

  /** Makes a blocked or future {@link #read} fail until {@link #resume()}. */
  void abort();

  void resume();

  void halt() throws IOException;
}
