package io.mtpbridge.benchmarks;

import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What libmtp's {@code mtp-files} costs the device, per request, through the whole device as mtpd
 * builds it (responder, file-system storage, the USB framing) on device-sim's virtual USB
 * controller, with host-tools' initiator playing libmtp in the same JVM: GetObjectHandles of
 * every folder, and GetObjectInfo plus GetObjectPropList (depth 0) of every object. Round 0 is the
 * first listing after start (a cold JVM), the next ones are warm. Prints wall time, requests, and
 * the CPU of the device's threads per round (the initiator's thread, "main", is the host).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.MtpFilesOverSim [tree] [rounds]</pre>
 * The tree is a folder (default: the 2,000-file tree of {@link ColdListing}, made if missing).
 */
public final class MtpFilesOverSim {
  private static final int ASSOCIATION = 0x3001;

  private MtpFilesOverSim() {}

  public static void main(String[] args) throws Exception {
    Path tree = args.length > 0 ? Path.of(args[0]) : ColdListing.Trees.ensure(Path.of("/tmp/mtpbridge-cold"), 2000);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Files", tree, true)),
        "MTP Bridge", "Benchmark", "BENCH-1", "0.1.0", null, null, "warn");
    SimulatedDevice sim = SimulatedDevice.start(options, List.of(new FileSystemStorage("Files", tree, true)), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf("tree %s, %d rounds; load average %s%n", tree, rounds, ColdListing.loadAverageNow());
    try {
      sim.hostPort().plugInAndConfigure();
      MtpInitiator host = new MtpInitiator(sim.hostPort(), 600_000, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
      for (int r = 0; r <= rounds; r++) {
        Map<String, Long> before = cpuByThread(threads);
        Map<String, Long> allocBefore = allocatedByThread(threads);
        long c0 = ColdListingRun.ProcSelf.cpuNanos();
        long t0 = System.nanoTime();
        host.openSession(1);
        int storage = host.getStorageIds()[0];
        long requests = 2;
        long objects = 0;
        Deque<Integer> folders = new ArrayDeque<>();
        folders.push(MtpInitiator.ROOT_PARENT);
        while (!folders.isEmpty()) {
          int[] handles = host.getObjectHandles(storage, 0, folders.pop());
          requests++;
          for (int h : handles) {
            byte[] info = host.getObjectInfo(h);
            host.receiveDataset(0x9805, h, 0, 0xFFFFFFFF, 0, 0);
            requests += 2;
            objects++;
            if ((ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN).getShort(4) & 0xFFFF) == ASSOCIATION) folders.push(h);
          }
        }
        host.closeSession();
        requests++;
        long wall = System.nanoTime() - t0;
        long cpu = ColdListingRun.ProcSelf.cpuNanos() - c0;
        Map<String, Long> after = cpuByThread(threads);
        Map<String, Long> allocAfter = allocatedByThread(threads);
        long deviceAlloc = 0;
        for (Map.Entry<String, Long> e : allocAfter.entrySet()) {
          if (!e.getKey().equals("main")) deviceAlloc += e.getValue() - allocBefore.getOrDefault(e.getKey(), 0L);
        }
        StringBuilder per = new StringBuilder();
        long device = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
          long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
          if (d < 1_000_000) continue;
          per.append(String.format(" %s=%d", e.getKey(), d / 1_000_000));
          if (!e.getKey().equals("main")) device += d;
        }
        System.out.printf("round %d%s: %d objects, %d requests, %d ms wall, %d ms process CPU, device threads %d ms (%.1f us, %d bytes allocated per request):%s%n",
            r, r == 0 ? " (first after start)" : "", objects, requests, wall / 1_000_000, cpu / 1_000_000, device / 1_000_000,
            device / 1000.0 / requests, deviceAlloc / requests, per);
      }
    } finally {
      sim.close();
    }
    System.exit(0);
  }

  /** Bytes allocated by the live threads, summed by name. */
  private static Map<String, Long> allocatedByThread(ThreadMXBean threads) {
    Map<String, Long> out = new TreeMap<>();
    if (!(threads instanceof com.sun.management.ThreadMXBean sun)) return out;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long b = sun.getThreadAllocatedBytes(id);
      if (info == null || b < 0) continue;
      out.merge(info.getThreadName(), b, Long::sum);
    }
    return out;
  }

  /** CPU nanoseconds of the live threads, summed by name (JIT and GC threads are not Java threads and are not here). */
  private static Map<String, Long> cpuByThread(ThreadMXBean threads) {
    Map<String, Long> out = new TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long t = threads.getThreadCpuTime(id);
      if (info == null || t < 0) continue;
      out.merge(info.getThreadName(), t, Long::sum);
    }
    return out;
  }
}
