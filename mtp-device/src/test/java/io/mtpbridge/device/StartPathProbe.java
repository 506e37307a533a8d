package io.mtpbridge.device;

import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import io.mtpbridge.usb.function.UsbFunction;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.functionfs.FunctionFsTraining;
import io.mtpbridge.usb.mtp.FakeUsbFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * mtpd's real start path, measured in its own JVM on a machine without FunctionFS (a harness, not
 * a test; benchmarks/README.md, "R10"): {@link Mtpd#run} with every step it takes on a device,
 * up to the moment FunctionFS would get the descriptors (the gadget can be bound from there),
 * then what FunctionFS does after that (JNA's libc binding, the interrupt-signal check, an
 * endpoint thread blocked in a read) and the responder serving, idle, on a fake USB function.
 *
 * <pre>
 *   MTPD_MAIN=io.mtpbridge.device.StartPathProbe \
 *   MTPD_CLASSPATH_APPEND=mtp-device/target/test-classes:mtp-usb-transport/target/test-classes \
 *   mtp-device/bin/mtpd STORE [IDLE_SECONDS [machine-serial]]
 * </pre>
 *
 * Prints {@code bound-at-ms} (wall clock, epoch milliseconds, when the descriptors would be
 * written: the caller subtracts its own start time), {@code cpu-at-bound-ms} (the process's CPU
 * time until then, which a loaded machine does not stretch as it does wall time) and, after IDLE_SECONDS (default 5) of idle
 * serving, the VmHWM, VmRSS, RssAnon, RssFile and Threads lines of /proc/self/status and where
 * JNA loaded its native part from ({@code jnidispatch.path}). It loads
 * the class {@code StartPathProbe$Bound} at the bound moment, so a {@code -Xlog:class+load} log
 * shows which classes came before it. Nothing here runs before mtpd's own code (no temporary
 * files, no extra classes), so what is loaded is mtpd's.
 */
public final class StartPathProbe {
  private StartPathProbe() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    long idleMs = (args.length > 1 ? Long.parseLong(args[1]) : 5) * 1000;
    Path ffs = store.resolveSibling("probe-ffs");
    ProbeFunction function = new ProbeFunction(idleMs);
    // A third argument "machine-serial": no --serial, so mtpd derives it from the machine-id, as
    // the shipped unit does unless /etc/mtpd.conf names one.
    boolean machineSerial = args.length > 2 && args[2].equals("machine-serial");
    String[] options = machineSerial
        ? new String[] {"--functionfs", ffs.toString(), "--storage", "Files=" + store}
        : new String[] {"--functionfs", ffs.toString(), "--storage", "Files=" + store, "--serial", "PROBE"};
    int status = Mtpd.run(options, System.out, System.err, dir -> function);
    System.out.println("mtpd ended with " + status + " before the probe's report");
    System.exit(1);
  }

  /** User and system time of the whole process so far (every thread: the JIT and GC too), from /proc/self/stat. */
  static long processCpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Marks the bound moment in a class-load log. */
  static final class Bound {
    static void mark() {}
  }

  /** A fake USB function whose start does what FunctionFS's start does after the descriptors. */
  static final class ProbeFunction implements UsbFunction {
    private final FakeUsbFunction fake = new FakeUsbFunction(512, 64);
    private final long idleMs;

    ProbeFunction(long idleMs) { this.idleMs = idleMs; }

    @Override public void start(UsbFunctionListener l) throws IOException {
      long bound = System.currentTimeMillis();
      Bound.mark();
      System.out.println("bound-at-ms " + bound);
      System.out.println("cpu-at-bound-ms " + processCpuMillis());
      FunctionFsTraining.exercise();
      Thread ep0 = new Thread(() -> {
        while (true) LockSupport.park();
      }, "ffs-ep0");
      ep0.setDaemon(true);
      ep0.start();
      fake.start(l);
      Thread report = new Thread(() -> {
        try {
          Thread.sleep(idleMs);
          for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.matches("(VmHWM|VmRSS|RssAnon|RssFile|Threads):.*")) System.out.println(line.replaceAll("\\s+", " "));
          }
          System.out.println("jnidispatch.path " + System.getProperty("jnidispatch.path"));
        } catch (Exception e) {
          e.printStackTrace();
        }
        Runtime.getRuntime().halt(0);
      }, "probe-report");
      report.setDaemon(true);
      report.start();
    }

    @Override public BulkInEndpoint bulkIn() { return fake.bulkIn(); }

    @Override public BulkOutEndpoint bulkOut() { return fake.bulkOut(); }

    @Override public BulkInEndpoint interruptIn() { return fake.interruptIn(); }

    @Override public void close() { fake.close(); }
  }
}
