package io.mtpbridge.sim.e2e;

import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.udc.VirtualHostPort;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A simulated device serving two temporary folders (one read-only), with an initiator on the in-JVM link. */
final class SimFixture implements AutoCloseable {
  final Path rw;
  final Path ro;
  final SimulatedDevice sim;
  final VirtualHostPort port;
  MtpInitiator host;

  SimFixture(Path tmp) throws IOException {
    this(tmp, UsbSpeed.HIGH);
  }

  SimFixture(Path tmp, UsbSpeed speed) throws IOException {
    rw = Files.createDirectories(tmp.resolve("internal"));
    ro = Files.createDirectories(tmp.resolve("photos"));
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Internal", rw, false), new StorageSpec("Photos", ro, true)),
        "MTP Bridge", "Simulated device", "SIM-TEST-1", "0.1.0", null, tmp.resolve("friendly-name"), "info");
    List<FileSystemStorage> storages = List.of(new FileSystemStorage("Internal", rw, false), new FileSystemStorage("Photos", ro, true));
    sim = SimulatedDevice.start(options, storages, speed, UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of());
    port = sim.hostPort();
    connect();
  }

  /** Plug in, enumerate, open a session. */
  MtpInitiator connect() throws IOException {
    port.plugInAndConfigure();
    host = new MtpInitiator(port, 5000, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
    host.openSession(1);
    return host;
  }

  /** Every regular file under the read-write storage, names relative to it (temporary files included). */
  List<String> filesOnDevice() throws IOException {
    try (Stream<Path> s = Files.walk(rw)) {
      return s.filter(Files::isRegularFile).map(p -> rw.relativize(p).toString()).sorted().toList();
    }
  }

  @Override
  public void close() {
    port.unplug();
    sim.close();
  }
}
