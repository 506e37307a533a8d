package io.mtpbridge.sim.udc;

import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import io.mtpbridge.usb.function.UsbFunction;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;

/**
 * A virtual USB device controller with the MTP function bound to it. The device side is a
 * {@link UsbFunction}, so the same MTP framing and responder run on it as on FunctionFS; the host
 * side is {@link #hostPort()}, which enumerates, configures and moves packets like a host
 * controller would. Standard requests are answered here; class and vendor requests go to the
 * function's listener, except the Microsoft OS feature request, which the controller owns as a
 * real gadget's composite layer does.
 */
public final class VirtualUdc implements UsbFunction {
  /** Pipe chunk size and depth: 8 × 64 KiB in flight per direction keeps both copies streaming. */
  static final int CHUNK_BYTES = 64 * 1024;
  static final int MAX_CHUNKS = 8;

  private final MtpDescriptors descriptors;
  private final PacketPipe bulkIn;
  private final PacketPipe bulkOut;
  private final PacketPipe interruptIn;
  private final DeviceEndpoint.In bulkInEndpoint;
  private final DeviceEndpoint.Out bulkOutEndpoint;
  private final DeviceEndpoint.In interruptEndpoint;
  private final VirtualHostPort hostPort;
  private volatile UsbFunctionListener listener;

  public VirtualUdc(UsbDeviceIdentity identity, UsbSpeed speed) {
    this.descriptors = new MtpDescriptors(identity, speed);
    int mp = speed.bulkMaxPacket();
    this.bulkIn = new PacketPipe("bulk-in", mp, CHUNK_BYTES, MAX_CHUNKS, false);
    this.bulkOut = new PacketPipe("bulk-out", mp, CHUNK_BYTES, MAX_CHUNKS, true);
    // A short event queue on purpose: a host that never reads events must only lose events.
    this.interruptIn = new PacketPipe("interrupt-in", MtpDescriptors.INTERRUPT_MAX_PACKET, MtpDescriptors.INTERRUPT_MAX_PACKET, 16, false);
    this.bulkInEndpoint = new DeviceEndpoint.In(bulkIn);
    this.bulkOutEndpoint = new DeviceEndpoint.Out(bulkOut);
    this.interruptEndpoint = new DeviceEndpoint.In(interruptIn);
    this.hostPort = new VirtualHostPort(this);
  }

  @Override
  public void start(UsbFunctionListener listener) {
    if (listener == null) throw new IllegalArgumentException("listener");
    this.listener = listener;
  }

  @Override public BulkInEndpoint bulkIn() { return bulkInEndpoint; }

  @Override public BulkOutEndpoint bulkOut() { return bulkOutEndpoint; }

  @Override public BulkInEndpoint interruptIn() { return interruptEndpoint; }

  /** The host side of the cable. */
  public VirtualHostPort hostPort() { return hostPort; }

  public MtpDescriptors descriptors() { return descriptors; }

  public UsbSpeed speed() { return descriptors.speed(); }

  /** Unbinds the function: the host sees a disconnect and the function hears {@code onUnbind}. */
  @Override
  public void close() throws IOException {
    hostPort.unplug();
    UsbFunctionListener l = listener;
    listener = null;
    if (l != null) l.onUnbind();
  }

  UsbFunctionListener listener() { return listener; }

  PacketPipe bulkInPipe() { return bulkIn; }

  PacketPipe bulkOutPipe() { return bulkOut; }

  PacketPipe interruptPipe() { return interruptIn; }
}
