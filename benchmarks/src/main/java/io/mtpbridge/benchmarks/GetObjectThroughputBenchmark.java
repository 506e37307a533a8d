package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.loopback.LoopbackExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 1 GiB GetObject streamed through the responder into a null sink, with the JVM held to
 * -Xmx64m: proves the data phase streams (a buffered object would not fit) and measures the
 * responder's own cost per byte. The file is real data (not sparse) and sits in the page cache
 * after the first read, so the figure is the responder's throughput, not the disk's.
 * GB/s = 1.074 / (seconds per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m"})
public class GetObjectThroughputBenchmark {
  @Param({"1073741824"})
  public long bytes;

  private Path root;
  private ResponderHarness harness;
  private int handle;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("mtp-getobject-bench");
    Path file = root.resolve("big.bin");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
      for (int i = 0; i < chunk.capacity(); i++) chunk.put((byte) (i * 31 + 7));
      long left = bytes;
      while (left > 0) {
        chunk.clear();
        if (left < chunk.capacity()) chunk.limit((int) left);
        left -= ch.write(chunk);
      }
    }
    harness = new ResponderHarness(root);
    harness.openSession();
    handle = harness.handles(0xFFFFFFFF)[0];
  }

  @Benchmark
  public long getObject() throws IOException {
    LoopbackExchange x = harness.discarded(OperationCode.GET_OBJECT, handle);
    if (x.bytesFromDevice() != bytes) throw new IllegalStateException("short transfer " + x.bytesFromDevice());
    return x.bytesFromDevice();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    harness.closeSession();
    harness.close();
    Files.deleteIfExists(root.resolve("big.bin"));
    Files.deleteIfExists(root);
  }
}
