package io.mtpbridge.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A data phase toward the initiator, as a stream with back-pressure: {@link #write} blocks while
 * the host is not reading. {@link #close()} ends the phase (short packet or ZLP as the framing
 * needs). Writing more than the announced length, or closing before it was reached, is an
 * {@link java.io.IOException}. Cancel and reset surface as in {@link DataIn}.
 */
public interface DataOut extends WritableByteChannel {

  /**
   * Moves up to {@code count} bytes from {@code src} into the phase, as {@link #write} would;
   * returns how many were moved, fewer than {@code count} only when {@code src} ended first.
   * This default reads into {@code via} and writes that; a transport with transfer buffers of its
   * own overrides it to read straight into them, sparing a copy of every byte of object content.
   * Failures of {@code src} are thrown as they are.
   */
  default long transferFrom(ReadableByteChannel src, long count, ByteBuffer via) throws IOException {
    if (count < 0) throw new IllegalArgumentException("negative count " + count);
    long moved = 0;
    while (moved < count) {
      via.clear();
      if (count - moved < via.capacity()) via.limit((int) (count - moved));
      int n = src.read(via);
      if (n < 0) break;
      via.flip();
      while (via.hasRemaining()) write(via);
      moved += n;
    }
    return moved;
  }
}
