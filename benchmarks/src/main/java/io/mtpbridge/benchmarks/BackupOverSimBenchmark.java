package io.mtpbridge.benchmarks;

import io.mtpbridge.backup.archive.Sha256;

import io.mtpbridge.backup.archive.ArchiveWriter;
import io.mtpbridge.benchmarks.BackupThroughputBenchmark.BenchDevice;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's benchmark: a full backup of data owners holding 1 GiB, streamed with
 * ReadBackupArchive (0x9A05) through the simulated device (virtual USB controller at high-speed
 * packet size, the host-tools initiator in the same JVM), against GetObject of a 1 GiB file
 * measured the same way in the same run — device-sim's TransferBenchmark's path, with the backup
 * bridge plugged into the device. Device and initiator share one JVM, so running it with
 * {@code -Xmx64m} bounds the device to 64 MiB (the initiator's share is its 256 KiB transfer buffer).
 *
 * <pre>java -Xmx64m -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.BackupOverSimBenchmark [dir] [rounds]</pre>
 */
public final class BackupOverSimBenchmark {
  private static final long MIB = BackupThroughputBenchmark.MIB;
  private static final int OPEN_BACKUP_SESSION = 0x9A02;
  private static final int READ_BACKUP_ARCHIVE = 0x9A05;
  private static final int CLOSE_BACKUP_SESSION = 0x9A07;

  private BackupOverSimBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "/dev/shm/mtpbridge-backup-sim-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    org.slf4j.Logger log = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (log instanceof ch.qos.logback.classic.Logger lb) lb.setLevel(ch.qos.logback.classic.Level.WARN);
    // The archive writer's timers (reading, sending, waiting for SHA-256) after each backup.
    if (LoggerFactory.getLogger(ArchiveWriter.class) instanceof ch.qos.logback.classic.Logger aw) {
      aw.setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    BenchDevice bench = BenchDevice.create(root);
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Raw", bench.raw(), true)),
        "MTP Bridge", "Benchmark", "BENCH-1", "0.1.0", null, null, "warn");
    BackupBridge bridge = new BackupBridge(bench.engine());
    SimulatedDevice sim = SimulatedDevice.start(options, List.of(new FileSystemStorage("Raw", bench.raw(), true)), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of(bridge::install));
    System.out.printf("max heap %d MiB (device and initiator), %d CPUs, %d rounds, data in %s, high speed (512-byte packets), %d KiB host transfers%n",
        Runtime.getRuntime().maxMemory() / MIB, Runtime.getRuntime().availableProcessors(), rounds, root,
        MtpInitiator.DEFAULT_TRANSFER_BUFFER / 1024);
    System.out.printf("SHA-256 of backup streams: %s (-D%s=jdk forces the JDK's)%n", Sha256.implementation(), Sha256.PROPERTY);
    List<Double> raw = new ArrayList<>();
    List<Double> backup = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> rawCpuSec = new ArrayList<>();
    List<Double> backupCpuSec = new ArrayList<>();
    try {
      sim.hostPort().plugInAndConfigure();
      MtpInitiator host = new MtpInitiator(sim.hostPort(), 600_000, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
      host.openSession(1);
      int handle = bigFile(host);
      for (int r = 0; r <= rounds; r++) {
        boolean warmup = r == 0;
        CountingSink object = new CountingSink();
        CpuTimes rawCpu = CpuTimes.now();
        long t0 = System.nanoTime();
        host.getObject(handle, object);
        double rawSec = (System.nanoTime() - t0) / 1e9;
        rawCpu = CpuTimes.now().minus(rawCpu);

        byte[] fullScope = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).array();
        Response open = host.sendDataset(fullScope, OPEN_BACKUP_SESSION, 1, 1, 1); // backup, full, base
        int session = open.param(0);
        CountingSink archive = new CountingSink();
        CpuTimes backupCpu = CpuTimes.now();
        long t1 = System.nanoTime();
        host.receive(archive, READ_BACKUP_ARCHIVE, session);
        double backupSec = (System.nanoTime() - t1) / 1e9;
        backupCpu = CpuTimes.now().minus(backupCpu);
        host.call(CLOSE_BACKUP_SESSION, session, 1);

        if (object.count != 1024 * MIB) throw new IOException("GetObject returned " + object.count + " bytes");
        if (archive.count < 1024 * MIB) throw new IOException("the archive has only " + archive.count + " bytes");
        double rawMbs = object.count / rawSec / 1e6;
        double backupMbs = archive.count / backupSec / 1e6;
        System.out.printf("%s: GetObject %d MiB in %.2f s = %.0f MB/s; backup archive %d MiB in %.2f s = %.0f MB/s (%.0f%%)%n",
            warmup ? "warm-up" : "round " + r, object.count / MIB, rawSec, rawMbs, archive.count / MIB, backupSec, backupMbs,
            100 * backupMbs / rawMbs);
        System.out.printf("    CPU during GetObject: %s%n    CPU during backup:    %s%n", rawCpu, backupCpu);
        if (!warmup) {
          raw.add(rawMbs);
          backup.add(backupMbs);
          ratio.add(100 * backupMbs / rawMbs);
          rawCpuSec.add(rawCpu.process() / 1e9);
          backupCpuSec.add(backupCpu.process() / 1e9);
        }
      }
      host.closeSession();
      System.out.printf("median: GetObject %.0f MB/s, backup %.0f MB/s, ratio per round median %.0f%% (best %.0f%%); target >= 80%%%n",
          median(raw), median(backup), median(ratio), Collections.max(ratio));
    // On a shared machine the wall clock includes waiting for a core; CPU seconds do not.
    System.out.printf("median process CPU per transfer: GetObject %.2f s, backup %.2f s (backup needs %.1fx the CPU of GetObject)%n",
        median(rawCpuSec), median(backupCpuSec), median(backupCpuSec) / median(rawCpuSec));
    } finally {
      sim.close();
      bench.engine().close();
      BackupThroughputBenchmark.deleteTree(root);
    }
  }

  private static int bigFile(MtpInitiator host) throws IOException {
    int storage = host.getStorageIds()[0];
    for (int h : host.getObjectHandles(storage, 0, MtpInitiator.ROOT_PARENT)) {
      if (host.objectInfo(h).filename().equals("big.bin")) return h;
    }
    throw new IOException("big.bin not found on the device");
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  /**
   * CPU seconds of the whole process and of each live thread (by name): where a transfer spends
   * its time. On a shared machine wall-clock time also measures the wait for a core; CPU time
   * does not.
   */
  private record CpuTimes(long process, Map<String, Long> threads) {
    static CpuTimes now() {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      Map<String, Long> threads = new HashMap<>();
      for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
        if (info == null) continue;
        long cpu = mx.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) threads.merge(info.getThreadName(), cpu, Long::sum);
      }
      long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
          ? os.getProcessCpuTime() : -1;
      return new CpuTimes(process, threads);
    }

    CpuTimes minus(CpuTimes before) {
      Map<String, Long> delta = new HashMap<>();
      threads.forEach((name, cpu) -> {
        long d = cpu - before.threads.getOrDefault(name, 0L);
        if (d > 0) delta.put(name, d);
      });
      return new CpuTimes(process - before.process, delta);
    }

    @Override public String toString() {
      StringBuilder b = new StringBuilder(String.format("process %.2f s", process / 1e9));
      threads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .filter(e -> e.getValue() >= 10_000_000L)
          .forEach(e -> b.append(String.format(", %s %.2f", e.getKey(), e.getValue() / 1e9)));
      return b.toString();
    }
  }

  /** Counts what arrives and drops it: measures the transfer, not a disk. */
  private static final class CountingSink implements WritableByteChannel {
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
