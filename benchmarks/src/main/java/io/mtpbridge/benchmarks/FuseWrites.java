package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.core.storage.fs.Ownership;
import io.mtpbridge.device.DeviceStorages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A file copied into a FUSE mount of the device that writes with Android's edit extension, the way
 * Android File Transfer's {@code aft-mtp-mount} does it: the object is created empty
 * (SendObjectInfo + an empty SendObject), every write(2) the kernel hands the mount becomes a
 * TruncateObject to the new size and a SendPartialObject of the written bytes inside one
 * BeginEditObject ... EndEditObject, and the edit ends when the file is closed. Beside it, in the
 * same round, the same bytes as one SendObject (what {@code aft-mtp-cli put} does). All through the
 * whole responder over a file-system storage configured as mtpd's (batched, syncfs commits): the
 * SendObject's sync happens in a later batch (at the latest by CloseSession, not timed), the edit's
 * in EndEditObject (timed, and shown apart).
 *
 * <p>Prints per round the wall time and process CPU of both ways, and the mean time of a
 * TruncateObject + SendPartialObject pair over the first and the last tenth of the writes: a cost
 * per write that grows with the size already written (a copy of the file per write, say) shows as
 * a last tenth much slower than the first.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.FuseWrites [dir=/var/tmp] [size=16777217] [write=131072] [rounds=3]
 * </pre>
 */
public final class FuseWrites {
  private FuseWrites() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("/var/tmp");
    long size = 16 * 1024 * 1024 + 1;
    int write = 128 * 1024;
    int rounds = 3;
    for (String a : args) {
      String v = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("dir=")) dir = Path.of(v);
      else if (a.startsWith("size=")) size = Long.parseLong(v);
      else if (a.startsWith("write=")) write = Integer.parseInt(v);
      else if (a.startsWith("rounds=")) rounds = Integer.parseInt(v);
      else throw new IllegalArgumentException("dir=, size=, write= or rounds=, not " + a);
    }
    if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("size= up to 2 GiB (SendObject's data is held in memory here)");
    byte[] content = new byte[(int) size];
    for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 31 + 7);
    int writes = (int) ((size + write - 1) / write);
    System.out.printf(Locale.ROOT, "load average at start: %s; %s on %s; %d bytes in %d writes of %d%n",
        Files.readString(Path.of("/proc/loadavg")).trim(), dir, Files.getFileStore(dir).type(), size, writes, write);
    for (int r = 1; r <= rounds; r++) {
      Path root = Files.createTempDirectory(dir, "mtp-fuse-writes");
      try (ResponderHarness h = new ResponderHarness(
          new FileSystemStorage("Bench", root, false, StorageType.FIXED_RAM, Ownership.DEFAULT, DeviceStorages.COMMITS))) {
        h.openSession();

        long c0 = ColdListingRun.ProcSelf.cpuNanos();
        long t0 = System.nanoTime();
        int handle = create(h, "edited.bin", 0);
        h.send(OperationCode.SEND_OBJECT, new byte[0]);
        h.captured(OperationCode.BEGIN_EDIT_OBJECT, handle);
        long[] pair = new long[writes];
        for (int i = 0; i < writes; i++) {
          long p0 = System.nanoTime();
          long offset = (long) i * write;
          int n = (int) Math.min(write, size - offset);
          long end = offset + n;
          h.captured(OperationCode.TRUNCATE_OBJECT, handle, (int) end, (int) (end >>> 32));
          LoopbackExchange x = h.send(OperationCode.SEND_PARTIAL_OBJECT, Arrays.copyOfRange(content, (int) offset, (int) end),
              handle, (int) offset, (int) (offset >>> 32), n);
          if (x.param(0) != n) throw new IllegalStateException("SendPartialObject wrote " + x.param(0) + " of " + n);
          pair[i] = System.nanoTime() - p0;
        }
        long e0 = System.nanoTime();
        h.captured(OperationCode.END_EDIT_OBJECT, handle);
        long endEdit = System.nanoTime() - e0;
        long editWall = System.nanoTime() - t0;
        long editCpu = ColdListingRun.ProcSelf.cpuNanos() - c0;

        c0 = ColdListingRun.ProcSelf.cpuNanos();
        t0 = System.nanoTime();
        create(h, "sent.bin", size);
        h.send(OperationCode.SEND_OBJECT, content);
        long sendWall = System.nanoTime() - t0;
        long sendCpu = ColdListingRun.ProcSelf.cpuNanos() - c0;
        h.closeSession();

        for (String name : new String[] {"edited.bin", "sent.bin"}) {
          if (!Arrays.equals(content, Files.readAllBytes(root.resolve(name)))) throw new IllegalStateException(name + " differs");
        }
        int tenth = Math.max(1, writes / 10);
        System.out.printf(Locale.ROOT,
            "round %d: edit %d ms wall (EndEditObject, which syncs: %d ms), %d ms CPU (Truncate+SendPartial pair: first tenth %.3f ms, last tenth %.3f ms); "
                + "SendObject %d ms wall, %d ms CPU; load %s%n",
            r, editWall / 1_000_000, endEdit / 1_000_000, editCpu / 1_000_000, mean(pair, 0, tenth) / 1e6, mean(pair, writes - tenth, writes) / 1e6,
            sendWall / 1_000_000, sendCpu / 1_000_000, Files.readString(Path.of("/proc/loadavg")).trim());
      } finally {
        try (Stream<Path> s = Files.walk(root)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static int create(ResponderHarness h, String name, long size) throws Exception {
    ByteBuf info = Unpooled.buffer();
    ObjectInfo.builder().storageId(ResponderHarness.STORAGE).objectFormat(0x3000).size(size).filename(name).build().encode(info);
    byte[] dataset = new byte[info.readableBytes()];
    info.readBytes(dataset);
    return h.send(OperationCode.SEND_OBJECT_INFO, dataset, ResponderHarness.STORAGE, 0xFFFFFFFF).param(2);
  }

  private static double mean(long[] v, int from, int to) {
    long sum = 0;
    for (int i = from; i < to; i++) sum += v[i];
    return (double) sum / (to - from);
  }
}
