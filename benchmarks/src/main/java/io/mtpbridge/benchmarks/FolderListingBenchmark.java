package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.loopback.LoopbackExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What a host does when it opens a big folder: GetObjectHandles on the folder, then
 * GetObjectPropList(folder, all properties, depth 1), through the whole responder (session,
 * lazy listing from the file system, handle assignment, property values, streamed encoding) into
 * the loopback transport. Each invocation starts a fresh session, so nothing is cached in the
 * responder (the OS directory cache is warm after the first run).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class FolderListingBenchmark {
  @Param({"100000"})
  public int files;

  private Path root;
  private ResponderHarness harness;
  private int folder;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    root = Files.createTempDirectory("mtp-listing-bench");
    Path many = Files.createDirectory(root.resolve("many"));
    byte[] content = new byte[100];
    for (int i = 0; i < files; i++) Files.write(many.resolve(String.format("IMG_%06d.jpg", i)), content);
    harness = new ResponderHarness(root);
  }

  @Setup(Level.Invocation)
  public void openSession() throws IOException {
    harness.openSession();
    folder = harness.handles(0xFFFFFFFF)[0];
  }

  @TearDown(Level.Invocation)
  public void closeSession() throws IOException { harness.closeSession(); }

  @Benchmark
  public long handlesAndPropListDepth1() throws IOException {
    LoopbackExchange handles = harness.discarded(OperationCode.GET_OBJECT_HANDLES, ResponderHarness.STORAGE, 0, folder);
    LoopbackExchange props = harness.discarded(OperationCode.GET_OBJECT_PROP_LIST, folder, 0, 0xFFFFFFFF, 0, 1);
    if (handles.bytesFromDevice() != 4 + 4L * files) throw new IllegalStateException("wrong handle count");
    return props.bytesFromDevice();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    harness.close();
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
