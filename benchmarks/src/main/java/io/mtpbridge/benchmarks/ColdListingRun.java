package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.loopback.LoopbackExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One listing in a fresh JVM, then exit: the child process of {@link ColdListing}. It opens a
 * session on a responder over the folder and lists it once the way a host does, then prints one
 * {@code result} line with the listing's wall time, the process's CPU time during it (every
 * thread: the JIT compilers too) and in all, and the peak resident memory (VmHWM).
 *
 * <ul>
 *   <li>{@code all}: GetObjectPropList(0xFFFFFFFF, all properties, depth 0xFFFFFFFF), the one
 *       request of libmtp's cached device open (mtp-getfile, mtp-folders, ...);
 *   <li>{@code files}: what mtp-files does (libmtp's uncached open): GetObjectHandles per folder,
 *       then GetObjectInfo and GetObjectPropList(handle, depth 0) for every object.
 * </ul>
 */
public final class ColdListingRun {
  private static final int ALL = 0xFFFFFFFF;
  private static final int ASSOCIATION = 0x3001;

  private ColdListingRun() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String mode = args[1];
    long c0 = ProcSelf.cpuNanos();
    long t0 = System.nanoTime();
    long objects;
    long bytes;
    long setupNanos;
    String outcome = "OK";
    try (ResponderHarness h = new ResponderHarness(root)) {
      h.link.timeout(3_600_000);
      h.openSession();
      setupNanos = System.nanoTime() - t0;
      c0 = ProcSelf.cpuNanos();
      t0 = System.nanoTime();
      long[] counted;
      try {
        counted = switch (mode) {
          case "all" -> all(h);
          case "files" -> files(h);
          default -> throw new IllegalArgumentException("mode all or files, not " + mode);
        };
      } catch (IllegalStateException refused) { // the responder answered an error (e.g. out of heap)
        outcome = refused.getMessage().replace(' ', '_');
        counted = new long[] {0, 0};
      }
      objects = counted[0];
      bytes = counted[1];
    }
    long wall = System.nanoTime() - t0;
    long cpu = ProcSelf.cpuNanos() - c0;
    System.out.printf("result mode=%s outcome=%s objects=%d bytes=%d setup_ms=%d list_ms=%d list_cpu_ms=%d total_cpu_ms=%d vmhwm_kb=%d%n",
        mode, outcome, objects, bytes, setupNanos / 1_000_000, wall / 1_000_000, cpu / 1_000_000, ProcSelf.cpuNanos() / 1_000_000,
        ProcSelf.statusKb("VmHWM"));
    String pause = System.getenv("COLD_LISTING_PAUSE"); // seconds to stay up, for looking at /proc/PID/smaps
    if (pause != null) Thread.sleep(Long.parseLong(pause) * 1000);
    System.exit(0);
  }

  private static long[] all(ResponderHarness h) throws IOException {
    LoopbackExchange x = h.discarded(OperationCode.GET_OBJECT_PROP_LIST, ALL, 0, ALL, 0, ALL);
    return new long[] {-1, x.bytesFromDevice()};
  }

  private static long[] files(ResponderHarness h) throws IOException {
    long objects = 0;
    long bytes = 0;
    Deque<Integer> folders = new ArrayDeque<>();
    folders.push(ALL);
    while (!folders.isEmpty()) {
      int parent = folders.pop();
      int[] handles = h.handles(parent);
      bytes += 4 + 4L * handles.length;
      for (int handle : handles) {
        LoopbackExchange info = h.captured(OperationCode.GET_OBJECT_INFO, handle);
        int format = ByteBuffer.wrap(info.data()).order(ByteOrder.LITTLE_ENDIAN).getShort(4) & 0xFFFF;
        bytes += info.bytesFromDevice();
        bytes += h.discarded(OperationCode.GET_OBJECT_PROP_LIST, handle, 0, ALL, 0, 0).bytesFromDevice();
        objects++;
        if (format == ASSOCIATION) folders.push(handle);
      }
    }
    return new long[] {objects, bytes};
  }

  /** The process's own counters from /proc (no management beans: they would load classes the listing does not). */
  static final class ProcSelf {
    private ProcSelf() {}

    static long cpuNanos() throws IOException {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    static long statusKb(String field) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
      return -1;
    }
  }
}
