package io.mtpbridge.sim;

import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.device.MtpDevice;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.udc.VirtualHostPort;
import io.mtpbridge.sim.udc.VirtualUdc;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole simulated device: mtpd's device (responder, storages, extensions, USB framing) running
 * unchanged on the virtual USB controller, with its protocol thread. The host side is
 * {@link #hostPort()} (in-JVM) or a USB/IP server built on {@link #udc()}.
 */
public final class SimulatedDevice implements AutoCloseable {
  private final VirtualUdc udc;
  private final MtpDevice device;
  private final Thread protocol;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SimulatedDevice(VirtualUdc udc, MtpDevice device) {
    this.udc = udc;
    this.device = device;
    this.protocol = new Thread(device::serve, "mtp-protocol");
    this.protocol.setDaemon(true);
  }

  /**
   * Builds and starts the device. {@code storages} are closed with it. The USB serial string is
   * the MTP serial number, as usb-interop.md asks (hosts key devices by it).
   */
  public static SimulatedDevice start(MtpdOptions options, List<? extends Storage> storages, UsbSpeed speed,
                                      int vendorId, int productId, List<MtpDevice.Extension> extensions) throws IOException {
    UsbDeviceIdentity usb = UsbDeviceIdentity.defaults(options.manufacturer(), options.model(), options.serial()).withIds(vendorId, productId);
    VirtualUdc udc = new VirtualUdc(usb, speed);
    MtpDevice device = new MtpDevice(options, storages, udc, extensions);
    SimulatedDevice sim = new SimulatedDevice(udc, device);
    device.start();
    sim.protocol.start();
    return sim;
  }

  public VirtualUdc udc() { return udc; }

  public VirtualHostPort hostPort() { return udc.hostPort(); }

  public MtpDevice device() { return device; }

  /** Stops serving (a transfer in flight is aborted, a partial upload removed) and releases everything. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    device.stop();
    try {
      device.awaitStopped(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    device.close();
  }
}
