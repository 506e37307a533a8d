package io.mtpbridge.core.transport;

import java.nio.channels.WritableByteChannel;

/**
 * A data phase toward the initiator, as a stream with back-pressure: {@link #write} blocks while
 * the host is not reading. {@link #close()} ends the phase (short packet or ZLP as the framing
 * needs). Writing more than the announced length, or closing before it was reached, is an
 * {@link java.io.IOException}. Cancel and reset surface as in {@link DataIn}.
 */
public interface DataOut extends WritableByteChannel {
}
