package io.mtpbridge.sim.app;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.StorageInfo;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.MtpDescriptors;
import io.mtpbridge.sim.udc.VirtualHostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --demo} walkthrough: an in-JVM host plugs into the simulated device's virtual USB
 * port, enumerates it, and prints what any MTP host would see — then fetches one file over MTP
 * and checks it byte for byte against the file in the storage folder.
 */
final class DemoSession {
  private static final int MAX_LISTED = 40;
  private static final int MAX_DEPTH = 3;

  private final SimulatedDevice sim;
  private final SimOptions options;
  private final PrintStream out;
  private int listed;
  private Found candidate;

  private record Found(int handle, String storageName, String relativePath, long size) {}

  DemoSession(SimulatedDevice sim, SimOptions options, PrintStream out) {
    this.sim = sim;
    this.options = options;
    this.out = out;
  }

  void run() throws IOException {
    VirtualHostPort port = sim.hostPort();
    port.plugInAndConfigure();
    MtpDescriptors d = port.descriptors();
    out.printf("USB: %04x:%04x \"%s\" \"%s\" serial %s, %s speed (bulk packets of %d bytes), interface 6/1/1 \"MTP\"%n",
        d.identity().vendorId(), d.identity().productId(), d.identity().manufacturer(), d.identity().product(),
        d.identity().serialNumber(), d.speed().name().toLowerCase(Locale.ROOT), port.bulkMaxPacket());

    MtpInitiator host = new MtpInitiator(port);
    DeviceInfo info = host.deviceInfo();
    out.printf("Device: %s %s, version %s, serial %s%n", info.manufacturer(), info.model(), info.deviceVersion(), info.serialNumber());
    out.printf("        vendor extensions \"%s\", %d operations, %d events, %d device properties supported%n",
        info.vendorExtensionDesc(), info.operationsSupported().length, info.eventsSupported().length, info.devicePropertiesSupported().length);

    host.openSession(1);
    int[] storageIds = host.getStorageIds();
    out.printf("Storages: %d%n", storageIds.length);
    for (int id : storageIds) {
      StorageInfo s = host.storageInfo(id);
      out.printf("  0x%08X %-12s %s free of %s%s%n", id, s.storageDescription(), human(s.freeSpaceInBytes()), human(s.maxCapacity()),
          s.accessCapability() == 0 ? "" : " (read-only)");
    }
    for (int id : storageIds) {
      String name = host.storageInfo(id).storageDescription();
      out.printf("Files in %s:%n", name);
      list(host, id, name, MtpInitiator.ROOT_PARENT, "", 0);
    }
    if (candidate == null) throw new IOException("there is no file to fetch: every storage is empty (put a file in one, or run without --storage for the demo folder)");
    fetchAndVerify(host, candidate);
    host.closeSession();
    port.unplug();
    out.println("Demo finished: the simulated device works. Run without --demo to serve it over USB/IP.");
  }

  private void list(MtpInitiator host, int storage, String storageName, int parent, String prefix, int depth) throws IOException {
    for (int h : host.getObjectHandles(storage, 0, parent)) {
      ObjectInfo o = host.objectInfo(h);
      boolean folder = o.objectFormat() == ObjectFormat.ASSOCIATION.value();
      String path = prefix + o.filename();
      long size = folder ? 0 : objectSize(host, h, o);
      if (listed++ < MAX_LISTED) {
        out.printf("  %-40s %s%n", path + (folder ? "/" : ""), folder ? "" : size + " bytes");
      } else if (listed == MAX_LISTED + 1) {
        out.println("  ...");
      }
      // only a file of a configured folder can be compared with its copy on disk (not the Backup
      // storage's generated files)
      if (!folder && configured(storageName) && (candidate == null || preferred(path))) candidate = new Found(h, storageName, path, size);
      if (folder && depth + 1 < MAX_DEPTH) list(host, storage, storageName, h, path + "/", depth + 1);
    }
  }

  private boolean configured(String storageName) {
    return options.device().storages().stream().anyMatch(s -> s.name().equals(storageName));
  }

  private boolean preferred(String path) {
    return path.equals(DemoContent.WELCOME) && !candidate.relativePath().equals(DemoContent.WELCOME);
  }

  /** ObjectInfo's 32-bit size saturates at 4 GiB; the ObjectSize property has all 64 bits. */
  private static long objectSize(MtpInitiator host, int handle, ObjectInfo o) throws IOException {
    if (!o.sizeExceeds32Bits()) return o.objectCompressedSize();
    byte[] v = host.getObjectPropValue(handle, 0xDC04);
    return ByteBuffer.wrap(v).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private void fetchAndVerify(MtpInitiator host, Found f) throws IOException {
    HashingSink sink = new HashingSink();
    long n = host.getObject(f.handle(), sink);
    String remote = sink.hex();
    Path local = storageRoot(f.storageName()).resolve(f.relativePath());
    String onDisk = sha256(local);
    out.printf("Fetched %s/%s with %s: %d bytes, SHA-256 %s%n", f.storageName(), f.relativePath(),
        OperationCode.GET_OBJECT.wireName(), n, remote);
    if (n != f.size() || !remote.equals(onDisk)) {
      throw new IOException("the fetched " + f.relativePath() + " differs from " + local + " (SHA-256 " + onDisk + ")");
    }
    out.printf("Verified: identical to %s%n", local);
  }

  private Path storageRoot(String name) throws IOException {
    List<StorageSpec> specs = options.device().storages();
    for (StorageSpec s : specs) if (s.name().equals(name)) return s.path();
    throw new IOException("no configured storage is called " + name);
  }

  private static String sha256(Path p) throws IOException {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  /** Streams an object into a digest: the fetched file is checked without holding it. */
  private static final class HashingSink implements WritableByteChannel {
    private final MessageDigest md = digest();

    @Override public int write(ByteBuffer src) {
      int n = src.remaining();
      md.update(src);
      return n;
    }

    String hex() { return HexFormat.of().formatHex(md.digest()); }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }
}
