package io.mtpbridge.core.transport;

import java.nio.channels.ReadableByteChannel;

/**
 * The initiator's data phase, as a stream. {@link #read} returns -1 at the end of the phase
 * (the container length, or a short packet when the length was 0xFFFFFFFF). It throws
 * {@link TransactionCancelledException} when the host cancels and {@link TransportResetException}
 * when the host goes away. {@link #close()} discards whatever the handler did not read, so the
 * next command is framed correctly.
 */
public interface DataIn extends ReadableByteChannel {
  long UNKNOWN_LENGTH = -1;

  /** Payload length in bytes (header excluded), or {@link #UNKNOWN_LENGTH} for 0xFFFFFFFF. */
  long length();
}
