package io.mtpbridge.backup.mtp;

import io.mtpbridge.core.transport.DataIn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The host's data phase as an InputStream that remembers a transport failure (cancel, reset,
 * disconnect). The archive reader turns every read error into "archive truncated", which is right
 * for the archive but would hide from the responder that the host went away; {@link #rethrowFailure}
 * restores the original exception so the responder ends the transaction (or session) correctly.
 */
final class HostStream extends InputStream {
  private final DataIn in;
  private IOException failure;

  HostStream(DataIn in) { this.in = in; }

  @Override public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) Thread.onSpinWait();
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    try {
      int n;
      while ((n = in.read(ByteBuffer.wrap(b, off, len))) == 0) Thread.onSpinWait();
      return n;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /** Throws the transport failure seen while reading, if any. */
  void rethrowFailure() throws IOException {
    if (failure != null) throw failure;
  }
}
