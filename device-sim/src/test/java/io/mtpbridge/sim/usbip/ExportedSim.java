package io.mtpbridge.sim.usbip;

import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The USB/IP tests' device: a simulated high-speed device with one storage, "Internal", served
 * from {@code dir}, exported as bus id 1-1 by a USB/IP server on a free loopback port.
 */
final class ExportedSim implements AutoCloseable {
  final Path dir;
  final SimulatedDevice sim;
  final UsbIpServer server;
  final InetSocketAddress address;

  ExportedSim(Path tmp, String serial) throws IOException {
    dir = Files.createDirectories(tmp.resolve("store"));
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Internal", dir, false)),
        "MTP Bridge", "Simulated device", serial, "0.1.0", null, null, "info");
    sim = SimulatedDevice.start(options, List.of(new FileSystemStorage("Internal", dir, false)), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of());
    server = new UsbIpServer(new ExportedDevice(sim.udc(), "1-1"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @Override public void close() throws IOException {
    server.close();
    sim.close();
  }
}
