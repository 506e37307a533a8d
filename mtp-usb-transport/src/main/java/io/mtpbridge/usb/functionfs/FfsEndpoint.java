package io.mtpbridge.usb.functionfs;

import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import io.mtpbridge.usb.function.EndpointAbortedException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A FunctionFS endpoint file as a {@link BulkInEndpoint} or {@link BulkOutEndpoint}. The file
 * exists only once the descriptors are written, so it is attached when the function starts.
 */
final class FfsEndpoint implements BulkInEndpoint, BulkOutEndpoint {
  /** FUNCTIONFS_CLEAR_HALT = _IO('g', 3). */
  static final long CLEAR_HALT = 0x6703;

  private final String name;
  private final boolean in;
  private volatile EndpointFile file;
  private volatile boolean abortedEarly;
  private volatile boolean halted;

  FfsEndpoint(String name, boolean in) {
    this.name = name;
    this.in = in;
  }

  void attach(EndpointFile f) {
    if (abortedEarly) f.abort();
    this.file = f;
  }

  EndpointFile file() { return file; }

  private EndpointFile require() throws IOException {
    EndpointFile f = file;
    if (f == null) throw new EndpointAbortedException(name + ": the function has not been started");
    return f;
  }

  @Override public int read(ByteBuffer dst) throws IOException {
    if (in) throw new IllegalStateException(name + " is an IN endpoint");
    return require().read(dst);
  }

  @Override public void write(ByteBuffer src) throws IOException {
    if (!in) throw new IllegalStateException(name + " is an OUT endpoint");
    int requested = src.remaining();
    int n = require().write(src);
    if (n != requested) throw new IOException(name + ": controller took " + n + " of " + requested + " bytes");
  }

  @Override public void abort() {
    EndpointFile f = file;
    if (f == null) abortedEarly = true;
    else f.abort();
  }

  @Override public void resume() {
    abortedEarly = false;
    EndpointFile f = file;
    if (f != null) f.resume();
  }

  /** FunctionFS halts an endpoint when it is used in the wrong direction; the call then fails with EBADMSG. */
  @Override public void halt() throws IOException {
    EndpointFile f = require();
    try {
      if (in) f.read(ByteBuffer.allocateDirect(0));
      else f.write(ByteBuffer.allocateDirect(0));
    } catch (NativeIoException e) {
      if (e.errno() != LibC.EBADMSG) throw e;
    }
    halted = true;
  }

  void clearHalt() throws IOException {
    require().ioctl(CLEAR_HALT);
    halted = false;
  }

  boolean isHalted() { return halted; }

  void close() {
    EndpointFile f = file;
    if (f != null) f.close();
  }
}
