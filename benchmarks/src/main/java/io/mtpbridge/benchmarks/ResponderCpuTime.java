package io.mtpbridge.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.loopback.LoopbackExchange;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The two responder benchmarks measured in wall-clock and in process CPU time. On a shared,
 * overloaded machine the wall clock mostly measures the queue for a core; CPU time is what the
 * responder itself costs (and what the wall clock would be on idle cores, for a single thread).
 *
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.ResponderCpuTime 100000 0 6            # listing only
 * java -Xmx64m  -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.ResponderCpuTime 0 1073741824 6        # GetObject only
 * </pre>
 * Arguments: files in the folder (0 = skip the listing), bytes of the object (0 = skip GetObject), rounds.
 */
public final class ResponderCpuTime {
  private ResponderCpuTime() {}

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long bytes = args.length > 1 ? Long.parseLong(args[1]) : 1L << 30;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path root = Files.createTempDirectory("mtp-cpu-bench");
    try {
      Path many = Files.createDirectory(root.resolve("many"));
      byte[] content = new byte[100];
      for (int i = 0; i < files; i++) Files.write(many.resolve(String.format("IMG_%06d.jpg", i)), content);
      try (FileChannel ch = FileChannel.open(root.resolve("zbig.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < chunk.capacity(); i++) chunk.put((byte) (i * 31 + 7));
        for (long left = bytes; left > 0; ) {
          chunk.clear();
          if (left < chunk.capacity()) chunk.limit((int) left);
          left -= ch.write(chunk);
        }
      }
      try (ResponderHarness h = new ResponderHarness(root)) {
        for (int r = 0; r < rounds; r++) {
          h.openSession();
          int[] top = h.handles(0xFFFFFFFF);
          int folder = 0;
          int big = 0;
          for (int hd : top) {
            var info = io.mtpbridge.core.dataset.ObjectInfo.decode(io.netty.buffer.Unpooled.wrappedBuffer(h.captured(OperationCode.GET_OBJECT_INFO, hd).data()));
            if (info.filename().equals("many")) folder = hd; else big = hd;
          }
          long c0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          LoopbackExchange props = null;
          if (files > 0) {
            h.discarded(OperationCode.GET_OBJECT_HANDLES, ResponderHarness.STORAGE, 0, folder);
            props = h.discarded(OperationCode.GET_OBJECT_PROP_LIST, folder, 0, 0xFFFFFFFF, 0, 1);
          }
          long t1 = System.nanoTime();
          long c1 = os.getProcessCpuTime();
          LoopbackExchange obj = bytes > 0 ? h.discarded(OperationCode.GET_OBJECT, big) : null;
          long t2 = System.nanoTime();
          long c2 = os.getProcessCpuTime();
          h.closeSession();
          if (props == null || obj == null) {
            System.out.println(props != null
                ? String.format("round %d: listing %d files (%d bytes of properties): %d ms wall, %d ms cpu", r, files, props.bytesFromDevice(), (t1 - t0) / 1_000_000, (c1 - c0) / 1_000_000)
                : String.format("round %d: GetObject %d bytes: %d ms wall (%.2f GB/s), %d ms cpu (%.2f GB/s per cpu-second)", r, obj.bytesFromDevice(),
                    (t2 - t1) / 1_000_000, obj.bytesFromDevice() / (double) (t2 - t1), (c2 - c1) / 1_000_000, obj.bytesFromDevice() / (double) Math.max(1, c2 - c1)));
            continue;
          }
          System.out.printf("round %d: listing %d files (%d bytes of properties): %d ms wall, %d ms cpu | GetObject %d bytes: %d ms wall (%.2f GB/s), %d ms cpu (%.2f GB/s per cpu-second)%n",
              r, files, props.bytesFromDevice(), (t1 - t0) / 1_000_000, (c1 - c0) / 1_000_000,
              obj.bytesFromDevice(), (t2 - t1) / 1_000_000, obj.bytesFromDevice() / (double) (t2 - t1),
              (c2 - c1) / 1_000_000, obj.bytesFromDevice() / (double) Math.max(1, c2 - c1));
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
