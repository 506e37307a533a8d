package io.mtpbridge.sim.udc;

import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.UsbFunctionListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the virtual controller's cable: what a host controller driver would do with
 * the device. Control transfers on ep0 are serialised; each other endpoint moves packets through
 * its own pipe, so an idle interrupt read never blocks bulk traffic.
 */
public final class VirtualHostPort implements InitiatorLink {
  private static final Logger log = LoggerFactory.getLogger(VirtualHostPort.class);

  private final VirtualUdc udc;
  private final StandardRequests standard;
  private final ReentrantLock ep0 = new ReentrantLock();
  private volatile int configuration;

  VirtualHostPort(VirtualUdc udc) {
    this.udc = udc;
    this.standard = new StandardRequests(udc, this);
  }

  /** Enumerates the way a host does after plug-in: device descriptor, then SET_CONFIGURATION(1). */
  public void plugInAndConfigure() throws IOException {
    ByteBuffer dev = ByteBuffer.allocate(18);
    control(0x80, StandardRequests.GET_DESCRIPTOR, 0x0100, 0, dev, 1000);
    control(0x00, StandardRequests.SET_CONFIGURATION, MtpDescriptors.CONFIGURATION_VALUE, 0, ByteBuffer.allocate(0), 1000);
  }

  /** The cable is pulled (or the host detaches): transfers in flight fail; the function is disabled. */
  public void unplug() {
    ep0.lock();
    try {
      setConfiguration(0);
    } finally {
      ep0.unlock();
    }
  }

  /**
   * Bulk-only MTP has one transaction at a time: a host sends its next container only after it
   * has read the whole data phase and the response of the previous one. A host that writes on
   * bulk OUT while the device still has IN data on its way is therefore not the host that data
   * is for: the program reading it was killed (with a read in flight or between two reads). The
   * next program's first IN read would get the rest of the abandoned data phase instead of its
   * own response, and by reading it would keep the device sending. A real controller's queue is
   * flushed by the bus reset a host does in that state; here the same is done before the new
   * transfer is queued: the function is disabled (the transport ends the session, aborts its
   * transfers, and the pipes drop what they hold) and enabled again in the configuration the
   * host still has selected. (A cancelled IN read alone resets nothing: programs that wait in
   * slices cancel reads whose slice ran out and read on.)
   */
  private void checkInFinishedBeforeOut() {
    resetIfInUndelivered("host sent on bulk OUT while the device still had bulk IN data for it");
  }

  private boolean resetIfInUndelivered(String why) {
    if (!udc.bulkInPipe().hasUndeliveredData()) return false;
    ep0.lock();
    try {
      int selected = configuration;
      if (selected == 0 || !udc.bulkInPipe().hasUndeliveredData()) return false;
      log.info("{}: resetting the function (session ended, endpoint queues flushed)", why);
      setConfiguration(0);
      setConfiguration(selected);
      return true;
    } finally {
      ep0.unlock();
    }
  }

  /** The host suspends the bus (no traffic for 3 ms): the function hears {@code onSuspend}. */
  public void suspend() {
    UsbFunctionListener l = udc.listener();
    if (l != null && configuration != 0) l.onSuspend();
  }

  /** The host resumes the bus. */
  public void resume() {
    UsbFunctionListener l = udc.listener();
    if (l != null && configuration != 0) l.onResume();
  }

  public boolean isConfigured() { return configuration != 0; }

  public int configuration() { return configuration; }

  public MtpDescriptors descriptors() { return udc.descriptors(); }

  @Override
  public int bulkMaxPacket() { return udc.speed().bulkMaxPacket(); }

  @Override
  public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws UsbTransferException {
    checkInFinishedBeforeOut();
    udc.bulkOutPipe().write(src, zeroPacket, PacketPipe.millisToNanos(timeoutMillis), true);
  }

  @Override
  public int bulkIn(ByteBuffer dst, long timeoutMillis) throws UsbTransferException {
    return udc.bulkInPipe().read(dst, PacketPipe.millisToNanos(timeoutMillis), true);
  }

  @Override
  public int interruptIn(ByteBuffer dst, long timeoutMillis) throws UsbTransferException {
    return udc.interruptPipe().read(dst, PacketPipe.millisToNanos(timeoutMillis), true);
  }

  /** One bulk OUT transfer made of several pieces (all but the last whole packets), as a USB/IP URB arrives. */
  public void bulkOut(ByteBuffer[] pieces, boolean zeroPacket, long timeoutMillis) throws UsbTransferException {
    checkInFinishedBeforeOut();
    udc.bulkOutPipe().write(pieces, zeroPacket, PacketPipe.millisToNanos(timeoutMillis), true);
  }

  /**
   * A transfer on a non-control endpoint by address, as a USB/IP server receives them. OUT data is
   * {@code buffer}'s remaining bytes; IN data is read into it.
   */
  public int transfer(int endpointAddress, ByteBuffer buffer, boolean zeroPacket, long timeoutMillis) throws UsbTransferException {
    switch (endpointAddress) {
      case MtpDescriptors.EP_BULK_IN: return bulkIn(buffer, timeoutMillis);
      case MtpDescriptors.EP_INTERRUPT_IN: return interruptIn(buffer, timeoutMillis);
      case MtpDescriptors.EP_BULK_OUT: {
        int n = buffer.remaining();
        bulkOut(buffer, zeroPacket, timeoutMillis);
        return n;
      }
      default:
        throw new UsbTransferException(TransferStatus.STALL, 0, String.format("no endpoint 0x%02X", endpointAddress));
    }
  }

  @Override
  public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws UsbTransferException {
    if (udc.listener() == null) throw new UsbTransferException(TransferStatus.DISCONNECTED, 0, "no function is bound to the controller");
    ep0.lock();
    try {
      boolean in = (requestType & ControlRequest.DIR_IN) != 0;
      int type = (requestType >> 5) & 0x03;
      byte[] reply;
      if (type == 0) {
        reply = standard.handle(requestType, request, value, index, data);
      } else if (type == 2 && request == udc.descriptors().identity().msVendorCode() && in) {
        reply = microsoftFeature(index);
      } else {
        reply = forward(requestType, request, value, index, data, in);
      }
      if (reply == null) throw new UsbTransferException(TransferStatus.STALL, 0, String.format("request 0x%02X/0x%02X stalled", requestType, request));
      if (!in) {
        int n = data.remaining();
        data.position(data.limit());
        return n;
      }
      int n = Math.min(reply.length, data.remaining());
      data.put(reply, 0, n);
      return n;
    } finally {
      ep0.unlock();
    }
  }

  @Override
  public void close() { unplug(); }

  /** Called with ep0 held. Re-selecting a configuration resets it, as a gadget's composite layer does. */
  void setConfiguration(int value) {
    UsbFunctionListener listener = udc.listener();
    if (configuration != 0) {
      configuration = 0;
      udc.bulkInPipe().disconnect();
      udc.bulkOutPipe().disconnect();
      udc.interruptPipe().disconnect();
      if (listener != null) listener.onDisable();
    }
    if (value != 0) {
      udc.bulkInPipe().connect();
      udc.bulkOutPipe().connect();
      udc.interruptPipe().connect();
      configuration = value;
      if (listener != null) listener.onEnable(udc.speed(), udc.speed().bulkMaxPacket());
    }
  }

  private byte[] microsoftFeature(int index) {
    // wIndex 4 is the extended compat ID; we publish no extended properties (wIndex 5).
    return index == 4 ? udc.descriptors().extendedCompatId() : null;
  }

  private byte[] forward(int requestType, int request, int value, int index, ByteBuffer data, boolean in) {
    UsbFunctionListener listener = udc.listener();
    if (listener == null || configuration == 0) return null;
    ByteBuffer stage = null;
    if (!in) {
      stage = ByteBuffer.allocate(data.remaining());
      stage.put(data.duplicate()).flip();
    }
    ControlRequest req = new ControlRequest(requestType, request, value, index, in ? data.remaining() : stage.remaining(), stage);
    ControlReply reply;
    try {
      reply = listener.onControlRequest(req);
    } catch (RuntimeException e) {
      log.warn("function failed on control request {}: {}", req, e.toString());
      return null;
    }
    if (reply == null || reply.stalled()) return null;
    ByteBuffer d = reply.data() == null ? ByteBuffer.allocate(0) : reply.data().duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  PacketPipe pipeFor(int endpointAddress) {
    return switch (endpointAddress) {
      case MtpDescriptors.EP_BULK_IN -> udc.bulkInPipe();
      case MtpDescriptors.EP_BULK_OUT -> udc.bulkOutPipe();
      case MtpDescriptors.EP_INTERRUPT_IN -> udc.interruptPipe();
      default -> null;
    };
  }
}
