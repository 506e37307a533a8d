package io.mtpbridge.sim.pc;

import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpDevice;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.Cancellation;
import io.mtpbridge.host.cli.Environment;
import io.mtpbridge.host.cli.MtpBridge;
import io.mtpbridge.host.cli.VisibleText;
import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.usb.UsbDeviceBusyException;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.udc.VirtualHostPort;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Simulated devices plugged into mtpbridge in the JVM: a {@link DeviceSource} over the simulator's
 * virtual USB ports (the link the CLI would get from usb4java), and {@link #run} to run one
 * mtpbridge command line and capture its output and exit status.
 */
public final class PcFixture implements AutoCloseable {
  private final Path tmp;
  private final List<Sim> sims = new ArrayList<>();
  public final Path backups;
  /** Wraps each link a command opens (fault injection: cancel or unplug after so many bytes). */
  public volatile UnaryOperator<InitiatorLink> linkWrapper = UnaryOperator.identity();
  /** The cancellation of the command running now (a test presses Ctrl-C through it). */
  public volatile Cancellation cancellation = new Cancellation();

  public PcFixture(Path tmp) throws IOException {
    this.tmp = tmp;
    this.backups = Files.createDirectories(tmp.resolve("backups"));
  }

  /** One simulated device: its serial, storage folder, and whether a program holds it. */
  public static final class Sim {
    public final String serial;
    public final Path storage;
    public final SimulatedDevice device;
    final int address;
    volatile boolean claimed;

    Sim(String serial, Path storage, SimulatedDevice device, int address) {
      this.serial = serial;
      this.storage = storage;
      this.device = device;
      this.address = address;
    }

    public VirtualHostPort port() { return device.hostPort(); }
  }

  /** Adds a device with one storage "Internal" (and whatever extensions, e.g. the backup bridge). */
  public Sim addDevice(String serial, List<MtpDevice.Extension> extensions) throws IOException {
    Path storage = Files.createDirectories(tmp.resolve("device-" + serial + "/internal"));
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Internal", storage, false)),
        "MTP Bridge", "Simulated device", serial, "0.1.0", null, tmp.resolve("device-" + serial + "/friendly-name"), "info");
    SimulatedDevice d = SimulatedDevice.start(options, List.of(new FileSystemStorage("Internal", storage, false)), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, extensions);
    Sim sim = new Sim(serial, storage, d, sims.size() + 2);
    sims.add(sim);
    return sim;
  }

  public DeviceSource source() {
    return new DeviceSource() {
      @Override public List<AttachedDevice> devices() {
        List<AttachedDevice> out = new ArrayList<>();
        for (Sim s : sims) out.add(attached(s));
        return out;
      }

      @Override public void close() {}
    };
  }

  private AttachedDevice attached(Sim s) {
    return new AttachedDevice() {
      @Override public String busAddress() { return String.format("001-%03d", s.address); }

      @Override public int vendorId() { return UsbDeviceIdentity.DEFAULT_VENDOR_ID; }

      @Override public int productId() { return UsbDeviceIdentity.DEFAULT_PRODUCT_ID; }

      @Override public String manufacturer() { return "MTP Bridge"; }

      @Override public String product() { return "Simulated device"; }

      @Override public String serial() { return s.serial; }

      @Override public InitiatorLink open() throws IOException {
        synchronized (s) {
          if (s.claimed) throw UsbDeviceBusyException.of("device " + busAddress() + " (MTP Bridge Simulated device, serial " + s.serial + ")", s.serial);
          s.claimed = true;
        }
        try {
          s.port().plugInAndConfigure();
        } catch (IOException e) {
          s.claimed = false;
          throw e;
        }
        return linkWrapper.apply(new ClaimedLink(s));
      }
    };
  }

  /** The simulator's port as a claimed interface: closing releases it (the cable stays in). */
  private static final class ClaimedLink implements InitiatorLink {
    private final Sim sim;

    ClaimedLink(Sim sim) {
      this.sim = sim;
    }

    @Override public int bulkMaxPacket() { return sim.port().bulkMaxPacket(); }

    @Override public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws IOException {
      sim.port().bulkOut(src, zeroPacket, timeoutMillis);
    }

    @Override public int bulkIn(ByteBuffer dst, long timeoutMillis) throws IOException {
      return sim.port().bulkIn(dst, timeoutMillis);
    }

    @Override public int interruptIn(ByteBuffer dst, long timeoutMillis) throws IOException {
      return sim.port().interruptIn(dst, timeoutMillis);
    }

    @Override public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws IOException {
      return sim.port().control(requestType, request, value, index, data, timeoutMillis);
    }

    @Override public void close() {
      sim.claimed = false;
    }
  }

  /** Holds a device's interface as another program would. */
  public InitiatorLink claim(Sim s) throws IOException {
    return attached(s).open();
  }

  /** What one mtpbridge run printed and returned. */
  public record Result(int status, String out, String err) {
    @Override public String toString() { return "status " + status + "\n--- out\n" + out + "--- err\n" + err; }
  }

  public Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // guarded as Environment.system() guards System.out/err
    Environment env = new Environment(
        VisibleText.guard(new PrintStream(out, true, StandardCharsets.UTF_8), false, StandardCharsets.UTF_8),
        VisibleText.guard(new PrintStream(err, true, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8),
        this::source, false, backups, ZoneId.systemDefault(), cancellation);
    int status = MtpBridge.run(args, env);
    cancellation = new Cancellation();
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    for (Sim s : sims) {
      s.port().unplug();
      s.device.close();
    }
  }

  /** A link that calls {@code action} once after {@code bytes} bytes came in on bulk IN or went out on bulk OUT. */
  public static UnaryOperator<InitiatorLink> after(long bytes, Runnable action) {
    return inner -> new CountingLink(inner, bytes, action);
  }

  private static final class CountingLink implements InitiatorLink {
    private final InitiatorLink inner;
    private final long limit;
    private final Runnable action;
    private long moved;
    private boolean fired;

    CountingLink(InitiatorLink inner, long limit, Runnable action) {
      this.inner = inner;
      this.limit = limit;
      this.action = action;
    }

    private void count(long n) {
      moved += n;
      if (!fired && moved >= limit) {
        fired = true;
        action.run();
      }
    }

    @Override public int bulkMaxPacket() { return inner.bulkMaxPacket(); }

    @Override public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws IOException {
      int n = src.remaining();
      inner.bulkOut(src, zeroPacket, timeoutMillis);
      count(n);
    }

    @Override public int bulkIn(ByteBuffer dst, long timeoutMillis) throws IOException {
      int n = inner.bulkIn(dst, timeoutMillis);
      count(n);
      return n;
    }

    @Override public int interruptIn(ByteBuffer dst, long timeoutMillis) throws IOException { return inner.interruptIn(dst, timeoutMillis); }

    @Override public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws IOException {
      return inner.control(requestType, request, value, index, data, timeoutMillis);
    }

    @Override public void close() throws IOException { inner.close(); }
  }
}
