package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.storage.fs.CommitPolicy;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.core.storage.fs.Ownership;
import io.mtpbridge.device.DeviceStorages;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Many small uploads, the way a host copies a folder of small files: SendObjectInfo then
 * SendObject of {@code size} bytes, {@code files} times, into a file-system storage on a real
 * disk (not tmpfs: there fsync costs nothing), through the whole responder, then CloseSession (by
 * whose answer everything is durable). Prints wall time and process CPU per round; the difference
 * between the storage's durability policies shows in the wall time (the disk's flushes), not in
 * the CPU.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.SmallUploads [dir=/var/tmp] [files=1000] [size=4096] [rounds=3] [commits=mtpd]
 * </pre>
 * {@code commits}: {@code mtpd} (what mtpd uses: batches made durable with one syncfs each),
 * {@code batched-fsync} (batches, an fsync per file), {@code each-commit} (every file synced and
 * named in its own commit, before the answer: mtp-core's default, and how mtpd worked before).
 * The folder must be on the file system whose flush cost is to be measured; a fresh subfolder is
 * made in it for each round and deleted afterwards.
 */
public final class SmallUploads {
  private SmallUploads() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("/var/tmp");
    int files = 1000;
    int size = 4096;
    int rounds = 3;
    String commits = "mtpd";
    for (String a : args) {
      String v = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("dir=")) dir = Path.of(v);
      else if (a.startsWith("files=")) files = Integer.parseInt(v);
      else if (a.startsWith("size=")) size = Integer.parseInt(v);
      else if (a.startsWith("rounds=")) rounds = Integer.parseInt(v);
      else if (a.startsWith("commits=")) commits = v;
      else throw new IllegalArgumentException("dir=, files=, size=, rounds= or commits=, not " + a);
    }
    byte[] content = new byte[size];
    for (int i = 0; i < size; i++) content[i] = (byte) (i * 31 + 7);
    CommitPolicy policy = switch (commits) {
      case "mtpd" -> DeviceStorages.COMMITS;
      case "batched-fsync" -> CommitPolicy.BATCHED;
      case "each-commit" -> CommitPolicy.EACH_COMMIT;
      default -> throw new IllegalArgumentException("commits=mtpd, batched-fsync or each-commit, not " + commits);
    };
    System.out.printf("load average at start: %s; %s on %s; commits=%s%n", Files.readString(Path.of("/proc/loadavg")).trim(), dir,
        Files.getFileStore(dir).type(), commits);
    for (int r = 1; r <= rounds; r++) {
      Path root = Files.createTempDirectory(dir, "mtp-small-uploads");
      try (ResponderHarness h = new ResponderHarness(
          new FileSystemStorage("Bench", root, false, StorageType.FIXED_RAM, Ownership.DEFAULT, policy))) {
        h.openSession();
        long c0 = ColdListingRun.ProcSelf.cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < files; i++) {
          ByteBuf info = Unpooled.buffer();
          ObjectInfo.builder().storageId(ResponderHarness.STORAGE).objectFormat(0x3000).size(size)
              .filename(String.format("file-%05d.bin", i)).build().encode(info);
          byte[] dataset = new byte[info.readableBytes()];
          info.readBytes(dataset);
          h.send(OperationCode.SEND_OBJECT_INFO, dataset, ResponderHarness.STORAGE, 0xFFFFFFFF);
          h.send(OperationCode.SEND_OBJECT, content);
        }
        h.closeSession();
        long wall = System.nanoTime() - t0;
        long cpu = ColdListingRun.ProcSelf.cpuNanos() - c0;
        long stored;
        try (Stream<Path> s = Files.list(root)) {
          stored = s.filter(p -> p.getFileName().toString().startsWith("file-")).count();
        }
        if (stored != files) throw new IllegalStateException(stored + " of " + files + " files stored");
        System.out.printf(Locale.ROOT, "round %d: %d x %d bytes: %d ms wall (%.2f ms per file), %d ms CPU; load %s%n", r, files, size,
            wall / 1_000_000, wall / 1e6 / files, cpu / 1_000_000, Files.readString(Path.of("/proc/loadavg")).trim());
      } finally {
        try (Stream<Path> s = Files.walk(root)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
