package io.mtpbridge.sim.udc;

import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import io.mtpbridge.usb.function.EndpointAbortedException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** The function's view of one virtual endpoint: transfers on its {@link PacketPipe}, failures as {@link EndpointAbortedException}. */
final class DeviceEndpoint {
  private DeviceEndpoint() {}

  static final class In implements BulkInEndpoint {
    private final PacketPipe pipe;

    In(PacketPipe pipe) { this.pipe = pipe; }

    @Override public void write(ByteBuffer src) throws IOException {
      try {
        pipe.write(src, false, 0, false);
      } catch (UsbTransferException e) {
        throw aborted(e);
      }
    }

    @Override public void abort() { pipe.abortProducer(true); }

    @Override public void resume() { pipe.abortProducer(false); }

    @Override public void halt() { pipe.setHalted(true); }
  }

  static final class Out implements BulkOutEndpoint {
    private final PacketPipe pipe;

    Out(PacketPipe pipe) { this.pipe = pipe; }

    @Override public int read(ByteBuffer dst) throws IOException {
      try {
        return pipe.read(dst, 0, false);
      } catch (UsbTransferException e) {
        throw aborted(e);
      }
    }

    @Override public void abort() { pipe.abortConsumer(true); }

    @Override public void resume() { pipe.abortConsumer(false); }

    @Override public void halt() { pipe.setHalted(true); }
  }

  private static IOException aborted(UsbTransferException e) {
    if (e.status() == TransferStatus.OVERFLOW) return e;
    EndpointAbortedException a = new EndpointAbortedException(e.getMessage());
    a.initCause(e);
    return a;
  }
}
