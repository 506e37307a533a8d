package io.mtpbridge.benchmarks;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.backup.registration.RegistrationLoader;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.loopback.LoopbackTransport;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Full backup of owners holding 1 GiB in total (two passive owners of 448 MiB in 64 MiB files,
 * one in-process active owner streaming 128 MiB), read with ReadBackupArchive (0x9A05) through the
 * responder over the loopback transport, against a raw 1 GiB GetObject measured the same way.
 * Run the whole JVM (device and host) with -Xmx64m; see backup-bridge/README.md for the command.
 */
public final class BackupThroughputBenchmark {
  public static final long MIB = 1 << 20;
  /** Owners are registered for the user the benchmark runs as (restored files are given to them). */
  static final int UID = (int) new com.sun.security.auth.module.UnixSystem().getUid();

  private BackupThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "/tmp/mtpbridge-backup-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    BenchDevice bench = BenchDevice.create(root);
    BackupEngine engine = bench.engine();
    Path raw = bench.raw();
    MtpResponder responder = new BackupBridge(engine).install(MtpResponder.builder().install(StandardOperations.SET))
        .addStorage(new FileSystemStorage("Raw", raw, true)).build();
    LoopbackTransport host = new LoopbackTransport().timeout(600_000);
    Thread t = new Thread(() -> responder.serve(host), "responder");
    t.start();
    int tid = 1;
    check(host.transact(0x1002, 0, 1), "OpenSession");
    LoopbackExchange handles = host.transact(0x1007, tid++, 0xFFFFFFFF, 0, 0xFFFFFFFF);
    check(handles, "GetObjectHandles");
    int handle = ByteBuffer.wrap(handles.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(4);

    System.out.printf("heap max %d MiB, %d rounds%n", Runtime.getRuntime().maxMemory() / MIB, rounds);
    double bestRaw = 0, bestBackup = 0;
    for (int r = 0; r < rounds; r++) {
      Counting sink = new Counting();
      long t0 = System.nanoTime();
      check(host.transact(LoopbackRequest.of(0x1009, tid++, handle).sink(sink)), "GetObject");
      double rawMbs = sink.bytes / MIB / ((System.nanoTime() - t0) / 1e9);
      bestRaw = Math.max(bestRaw, rawMbs);

      ByteBuffer scope = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0);
      LoopbackExchange open = host.transact(LoopbackRequest.of(0x9A02, tid++, 1, 1, 1).data(scope.array()));
      check(open, "OpenBackupSession");
      Counting archive = new Counting();
      long t1 = System.nanoTime();
      check(host.transact(LoopbackRequest.of(0x9A05, tid++, open.param(0)).sink(archive)), "ReadBackupArchive");
      double secs = (System.nanoTime() - t1) / 1e9;
      check(host.transact(0x9A07, tid++, open.param(0), 1), "CloseBackupSession");
      double backupMbs = archive.bytes / MIB / secs;
      bestBackup = Math.max(bestBackup, backupMbs);
      System.out.printf("round %d: GetObject %d MiB at %.0f MiB/s; backup archive %d MiB in %.2f s at %.0f MiB/s (%.0f%% of GetObject)%n",
          r + 1, sink.bytes / MIB, rawMbs, archive.bytes / MIB, secs, backupMbs, 100 * backupMbs / rawMbs);
    }
    System.out.printf("best: GetObject %.0f MiB/s, backup %.0f MiB/s = %.0f%%%n", bestRaw, bestBackup, 100 * bestBackup / bestRaw);
    host.close();
    t.join();
    engine.close();
    deleteTree(root);
  }

  /** The benchmark's device: owners holding 1 GiB, their engine, and a folder with one 1 GiB file. */
  public record BenchDevice(BackupEngine engine, PatternOwner activeOwner, Path raw) {
    /**
     * Lays out under {@code root} (emptied first) two passive owners of 7 × 64 MiB files, an
     * in-process active owner streaming 128 MiB, and {@code raw/big.bin} (1 GiB); starts the engine.
     */
    public static BenchDevice create(Path root) throws IOException {
      deleteTree(root);
      Path internal = Files.createDirectories(root.resolve("volumes/internal"));
      Path regs = Files.createDirectories(root.resolve("registrations"));
      Path raw = Files.createDirectories(root.resolve("raw"));
      for (String owner : new String[] {"bench.photos", "bench.music"}) {
        Path dir = Files.createDirectories(internal.resolve(owner));
        for (int i = 0; i < 7; i++) fill(dir.resolve("part-" + i + ".bin"), 64 * MIB, owner.hashCode() + i);
        RegistrationLoader.install(regs, owner + ".xml", "<backup_registration owner=\"" + owner + "\" uid=\"" + UID + "\">"
            + "<passive_backup><volume name=\"internal\"><include_directory name=\"" + owner + "\"/></volume></passive_backup></backup_registration>");
      }
      RegistrationLoader.install(regs, "bench.db.xml", "<backup_registration owner=\"bench.db\" uid=\"" + UID + "\">"
          + "<active_backup callback_timeout_ms=\"60000\"><volume name=\"internal\"/></active_backup></backup_registration>");
      fill(raw.resolve("big.bin"), 1024 * MIB, 42);

      BackupEngine engine = BackupEngine.start(new EngineConfig(regs, Map.of("internal", internal), null, root.resolve("staging"),
          4096 * MIB, Duration.ofSeconds(10), "bench"));
      PatternOwner db = new PatternOwner(128 * MIB);
      db.client = ActiveBackupClient.connect(engine, "bench.db", db, (info, readiness) -> {
        if (!info.mode().isNormal()) readiness.ready();
      });
      return new BenchDevice(engine, db, raw);
    }
  }

  private static void check(LoopbackExchange x, String what) {
    if (x.code() != 0x2001) throw new IllegalStateException(what + " answered " + Integer.toHexString(x.code()));
  }

  /** Writes {@code size} bytes of a pattern derived from {@code seed} (1 MiB buffer, nothing more held). */
  public static void fill(Path file, long size, int seed) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer chunk = ByteBuffer.allocateDirect((int) MIB);
      for (int i = 0; i < chunk.capacity(); i++) chunk.put((byte) (i * 31 + seed));
      long left = size;
      while (left > 0) {
        chunk.clear();
        if (left < chunk.capacity()) chunk.limit((int) left);
        left -= ch.write(chunk);
      }
    }
  }

  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  /** The host's side: counts and discards. */
  private static final class Counting implements WritableByteChannel {
    long bytes;

    @Override public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      bytes += n;
      return n;
    }

    @Override public boolean isOpen() { return true; }
    @Override public void close() {}
  }

  /** An active owner whose data is a generated pattern: no memory held whatever its size. */
  public static final class PatternOwner implements ActiveBackupDataClient {
    private static final byte[] PATTERN = new byte[251 * 300];

    static {
      for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = (byte) (i * 13);
    }

    final long size;
    public volatile ActiveBackupClient client;
    private long pos;

    public PatternOwner(long size) { this.size = size; }

    @Override public void allSnapshotsSupplied() {}
    @Override public void receiveSnapshotData(String v, ByteBuffer s, boolean last) {}
    @Override public long getExpectedDataSize(String v) { return size; }
    @Override public boolean getSnapshotData(String v, ByteBuffer b) { return true; }
    @Override public void initialiseGetBackupData(String v) { pos = 0; }

    @Override public boolean getBackupDataSection(ByteBuffer b) {
      int n = (int) Math.min(b.remaining(), size - pos);
      int off = (int) (pos % 251);
      b.put(PATTERN, off, Math.min(n, PATTERN.length - off));
      pos += Math.min(n, PATTERN.length - off);
      return pos == size;
    }

    @Override public void initialiseRestoreBaseData(String v) {}
    @Override public void restoreBaseDataSection(ByteBuffer s, boolean f) {}
    @Override public void initialiseRestoreIncrementData(String v) {}
    @Override public void restoreIncrementDataSection(ByteBuffer s, boolean f) {}
    @Override public void restoreComplete(String v) {}
    @Override public void terminateMultiStageOperation() {}
    @Override public long getDataChecksum(String v) { return 0; }
  }
}
