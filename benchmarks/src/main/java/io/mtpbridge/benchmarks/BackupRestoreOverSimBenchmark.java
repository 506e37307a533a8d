package io.mtpbridge.benchmarks;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Backup AND restore throughput of the backup bridge through the simulated device (mtpd's
 * responder and USB framing on the virtual controller, host-tools' initiator in the same JVM):
 * owners holding 1 GiB (two passive owners of 7 × 64 MiB files, an in-process active owner of
 * 128 MiB); per round a full backup with ReadBackupArchive (0x9A05) into a file, then a restore of
 * that archive with WriteRestoreArchive (0x9A06) and CloseBackupSession (commit), which is when a
 * restore is applied. Self-contained (its own owners and registrations) and written against the
 * engine API both the issue-5 tree and this one have, so the same command measures either.
 *
 * <pre>java -Xmx64m -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.BackupRestoreOverSimBenchmark [dir] [rounds]</pre>
 */
public final class BackupRestoreOverSimBenchmark {
  private static final long MIB = 1 << 20;
  private static final int OPEN = 0x9A02, READ = 0x9A05, WRITE = 0x9A06, CLOSE = 0x9A07;

  private BackupRestoreOverSimBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "/dev/shm/mtpbridge-backup-restore-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    org.slf4j.Logger log = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (log instanceof ch.qos.logback.classic.Logger lb) lb.setLevel(ch.qos.logback.classic.Level.WARN);

    BackupThroughputBenchmark.deleteTree(root);
    Path internal = Files.createDirectories(root.resolve("volumes/internal"));
    Path regs = Files.createDirectories(root.resolve("registrations"));
    Files.setPosixFilePermissions(regs, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path raw = Files.createDirectories(root.resolve("raw"));
    int uid = (int) new com.sun.security.auth.module.UnixSystem().getUid();
    for (String owner : new String[] {"bench.photos", "bench.music"}) {
      Path dir = Files.createDirectories(internal.resolve(owner));
      for (int i = 0; i < 7; i++) BackupThroughputBenchmark.fill(dir.resolve("part-" + i + ".bin"), 64 * MIB, owner.hashCode() + i);
      register(regs, owner, "<passive_backup><volume name=\"internal\"><include_directory name=\"" + owner + "\"/></volume></passive_backup>", uid);
    }
    register(regs, "bench.db", "<active_backup callback_timeout_ms=\"60000\"><volume name=\"internal\"/></active_backup>", uid);
    Path archiveFile = root.resolve("archive.tar");

    BackupEngine engine = BackupEngine.start(new EngineConfig(regs, Map.of("internal", internal), null, root.resolve("staging"),
        8192 * MIB, Duration.ofSeconds(10), "bench"));
    Sink db = new Sink(128 * MIB);
    attach(engine, db);
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Raw", raw, true)),
        "MTP Bridge", "Benchmark", "BENCH-2", "0.1.0", null, null, "warn");
    BackupBridge bridge = new BackupBridge(engine);
    SimulatedDevice sim = SimulatedDevice.start(options, List.of(), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of(bridge::install));
    System.out.printf("max heap %d MiB, %d CPUs, %d rounds, data in %s%n", Runtime.getRuntime().maxMemory() / MIB,
        Runtime.getRuntime().availableProcessors(), rounds, root);
    List<Double> backup = new ArrayList<>(), restore = new ArrayList<>(), backupCpu = new ArrayList<>(), restoreCpu = new ArrayList<>();
    try {
      sim.hostPort().plugInAndConfigure();
      MtpInitiator host = new MtpInitiator(sim.hostPort(), 600_000, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
      host.openSession(1);
      byte[] fullScope = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).array();
      for (int r = 0; r <= rounds; r++) {
        boolean warmup = r == 0;
        Files.deleteIfExists(archiveFile);
        long cpu0 = processCpu();
        long t0 = System.nanoTime();
        int session = check(host.sendDataset(fullScope, OPEN, 1, 1, 1), "open backup").param(0);
        try (FileChannel out = FileChannel.open(archiveFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          check(host.receive(out, READ, session), "ReadBackupArchive");
        }
        check(host.call(CLOSE, session, 1), "close backup");
        double backupSec = (System.nanoTime() - t0) / 1e9;
        long cpu1 = processCpu();
        long size = Files.size(archiveFile);

        long t1 = System.nanoTime();
        int rs = check(host.sendDataset(fullScope, OPEN, 2, 1, 1), "open restore").param(0);
        try (FileChannel in = FileChannel.open(archiveFile, StandardOpenOption.READ)) {
          Response w = check(host.send(in, size, WRITE, rs), "WriteRestoreArchive");
          if (w.param(0) != 3) throw new IOException("WriteRestoreArchive took " + w.param(0) + " owners, not 3");
        }
        Response c = check(host.call(CLOSE, rs, 1), "close restore (commit)");
        if (c.param(0) != 0) throw new IOException(c.param(0) + " owners failed the restore");
        double restoreSec = (System.nanoTime() - t1) / 1e9;
        long cpu2 = processCpu();
        if (db.restored != 128 * MIB) throw new IOException("the active owner got " + db.restored + " bytes back");
        double bMbs = size / backupSec / 1e6, rMbs = size / restoreSec / 1e6;
        System.out.printf("%s: archive %d MiB; backup %.2f s = %.0f MB/s (CPU %.2f s); restore %.2f s = %.0f MB/s (CPU %.2f s)%n",
            warmup ? "warm-up" : "round " + r, size / MIB, backupSec, bMbs, (cpu1 - cpu0) / 1e9, restoreSec, rMbs, (cpu2 - cpu1) / 1e9);
        if (!warmup) {
          backup.add(bMbs);
          restore.add(rMbs);
          backupCpu.add((cpu1 - cpu0) / 1e9);
          restoreCpu.add((cpu2 - cpu1) / 1e9);
        }
      }
      host.closeSession();
      System.out.printf("median: backup %.0f MB/s (CPU %.2f s), restore %.0f MB/s (CPU %.2f s) over %d rounds%n",
          median(backup), median(backupCpu), median(restore), median(restoreCpu), rounds);
    } finally {
      sim.close();
      engine.close();
      BackupThroughputBenchmark.deleteTree(root);
    }
  }

  /** The in-process active owner; the listener's readiness answer is the one line that differs between API versions. */
  private static void attach(BackupEngine engine, Sink db) {
    ActiveBackupClient.connect(engine, "bench.db", db, (info, readiness) -> {
      if (!info.mode().isNormal()) readiness.ready();
    });
  }

  private static void register(Path regs, String owner, String body, int uid) throws IOException {
    Path f = regs.resolve(owner + ".xml");
    Files.writeString(f, "<backup_registration owner=\"" + owner + "\" uid=\"" + uid + "\">" + body + "</backup_registration>");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static Response check(Response r, String what) throws IOException {
    if (r.code() != 0x2001) throw new IOException(what + " answered 0x" + Integer.toHexString(r.code()));
    return r;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.isEmpty() ? 0 : s.get(s.size() / 2);
  }

  /** An active owner streaming {@code size} bytes of a pattern and taking a restore back (counted, not kept). */
  static final class Sink implements ActiveBackupDataClient {
    private final long size;
    private final byte[] pattern = new byte[64 * 1024];
    private long sent;
    private long receiving;
    volatile long restored;

    Sink(long size) {
      this.size = size;
      for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (i * 13);
    }

    @Override public void allSnapshotsSupplied() {}
    @Override public void receiveSnapshotData(String v, ByteBuffer s, boolean last) {}
    @Override public long getExpectedDataSize(String v) { return size; }
    @Override public boolean getSnapshotData(String v, ByteBuffer b) { return true; }
    @Override public void initialiseGetBackupData(String v) { sent = 0; }

    @Override public boolean getBackupDataSection(ByteBuffer b) {
      int n = (int) Math.min(b.remaining(), Math.min(pattern.length, size - sent));
      b.put(pattern, 0, n);
      sent += n;
      return sent == size;
    }

    @Override public void initialiseRestoreBaseData(String v) { receiving = 0; }

    @Override public void restoreBaseDataSection(ByteBuffer s, boolean finished) {
      receiving += s.remaining();
      s.position(s.limit());
      if (finished) restored = receiving;
    }

    @Override public void initialiseRestoreIncrementData(String v) {}
    @Override public void restoreIncrementDataSection(ByteBuffer s, boolean f) {}
    @Override public void restoreComplete(String v) {}
    @Override public void terminateMultiStageOperation() {}
    @Override public long getDataChecksum(String v) { return 0; }
  }
}
