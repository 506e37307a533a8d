package io.mtpbridge.sim.bench;

import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.usbip.ExportedDevice;
import io.mtpbridge.sim.usbip.UsbIpClient;
import io.mtpbridge.sim.usbip.UsbIpServer;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * SendObject and GetObject of a large object through the simulated device, timed from the host:
 * through the virtual controller with the in-JVM initiator, and through the USB/IP server on
 * loopback with the Java USB/IP client. Device and host share this JVM, so with -Xmx64m the
 * device runs in at most 64 MiB. Documented in device-sim/README.md.
 *
 * <pre>java -Xmx64m -cp device-sim/target/device-sim.jar:device-sim/target/device-sim-tests.jar \
 *   io.mtpbridge.sim.bench.TransferBenchmark [inproc|usbip|both] [size-MiB] [rounds] [dir] [transfer-KiB]</pre>
 */
public final class TransferBenchmark {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;

  /** The initiator's bulk transfer size (one URB over USB/IP). */
  private static int transferBytes = MtpInitiator.DEFAULT_TRANSFER_BUFFER;

  private TransferBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "both";
    long size = (args.length > 1 ? Long.parseLong(args[1]) : 1024) * 1024 * 1024;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path base = args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir"));
    transferBytes = (args.length > 4 ? Integer.parseInt(args[4]) : MtpInitiator.DEFAULT_TRANSFER_BUFFER / 1024) * 1024;
    org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger lb) lb.setLevel(ch.qos.logback.classic.Level.WARN);
    System.out.printf("object %d MiB, %d rounds, max heap %d MiB, %d CPUs, storage in %s, %d KiB host transfers%n",
        size >> 20, rounds, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), base, transferBytes >> 10);
    if (mode.equals("inproc") || mode.equals("both")) run("virtual UDC, in-JVM initiator, high speed", false, size, rounds, base);
    if (mode.equals("usbip") || mode.equals("both")) run("USB/IP server on loopback, Java USB/IP client, high speed", true, size, rounds, base);
  }

  private static void run(String label, boolean usbip, long size, int rounds, Path base) throws Exception {
    Path dir = Files.createTempDirectory(base, "mtp-bench");
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Bench", dir, false)),
        "MTP Bridge", "Benchmark", "BENCH-1", "0.1.0", null, null, "warn");
    SimulatedDevice sim = SimulatedDevice.start(options, List.of(new FileSystemStorage("Bench", dir, false)), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of());
    UsbIpServer server = null;
    InitiatorLink link;
    if (usbip) {
      server = new UsbIpServer(new ExportedDevice(sim.udc(), "1-1"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.start();
      link = UsbIpClient.attach(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), "1-1", true);
    } else {
      sim.hostPort().plugInAndConfigure();
      link = sim.hostPort();
    }
    try {
      MtpInitiator host = new MtpInitiator(link, 30_000, transferBytes);
      host.openSession(1);
      int storage = host.getStorageIds()[0];
      List<Double> send = new ArrayList<>();
      List<Double> get = new ArrayList<>();
      for (int r = 0; r <= rounds; r++) {
        boolean warmup = r == 0;
        long n = warmup ? Math.min(size, 64L << 20) : size;
        String name = "obj" + r;
        long t0 = System.nanoTime();
        host.sendObjectInfo(storage, ROOT, ObjectInfo.builder().storageId(storage).objectFormat(0x3000)
            .parentObject(ROOT).size(n).filename(name).build());
        host.sendObject(new PatternSource(n), n);
        double sendSec = (System.nanoTime() - t0) / 1e9;
        if (Files.size(dir.resolve(name)) != n) throw new IOException("SendObject stored " + Files.size(dir.resolve(name)) + " bytes, not " + n);
        int handle = find(host, storage, name);
        CountingSink sink = new CountingSink();
        long t1 = System.nanoTime();
        host.getObject(handle, sink);
        double getSec = (System.nanoTime() - t1) / 1e9;
        if (sink.count != n) throw new IOException("GetObject returned " + sink.count + " bytes, not " + n);
        host.deleteObject(handle);
        if (!warmup) {
          send.add(n / sendSec / 1e6);
          get.add(n / getSec / 1e6);
          System.out.printf("  round %d: SendObject %.2f s (%.0f MB/s), GetObject %.2f s (%.0f MB/s)%n", r, sendSec, n / sendSec / 1e6, getSec, n / getSec / 1e6);
        }
      }
      host.closeSession();
      System.out.printf("%s: SendObject median %.0f MB/s (best %.0f), GetObject median %.0f MB/s (best %.0f)%n",
          label, median(send), Collections.max(send), median(get), Collections.max(get));
    } finally {
      link.close();
      if (server != null) server.close();
      sim.close();
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    }
  }

  private static int find(MtpInitiator host, int storage, String name) throws IOException {
    for (int h : host.getObjectHandles(storage, 0, ROOT)) if (host.objectInfo(h).filename().equals(name)) return h;
    throw new IOException(name + " not found");
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  /** {@code n} bytes of a repeating pattern, generated as read: nothing held in memory. */
  static final class PatternSource implements ReadableByteChannel {
    private static final byte[] PATTERN = new byte[64 * 1024 + 1];
    static {
      for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = (byte) (i * 31 + (i >> 8));
    }
    private long left;
    private int offset;

    PatternSource(long n) { left = n; }

    @Override public int read(ByteBuffer dst) {
      if (left == 0) return -1;
      int n = (int) Math.min(Math.min(dst.remaining(), left), PATTERN.length - offset);
      dst.put(PATTERN, offset, n);
      offset = (offset + n) % PATTERN.length;
      left -= n;
      return n;
    }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }

  /** Counts what arrives and drops it: measures the transfer, not a disk. */
  static final class CountingSink implements WritableByteChannel {
    long count;

    @Override public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      count += n;
      return n;
    }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }
}
