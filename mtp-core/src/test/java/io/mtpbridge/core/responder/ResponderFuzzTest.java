package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.loopback.FaultPoint;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.transport.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The responder fed arbitrary transactions: any operation code (standard, Android, unknown),
 * arbitrary or plausible parameters (0, 0xFFFFFFFF, live handles, storage ids), arbitrary data
 * phases for the operations that take one, and cancels or resets at any point. The responder must
 * answer every transaction that was not cancelled, never break the protocol (loopback
 * violations), never fail unexpectedly (a GeneralError from an exception no handler anticipated),
 * never let a temporary upload file survive, and keep serving.
 *
 * <p>Budget: jqwik's default tries (1000 sequences of up to 12 transactions) in the normal run; the
 * long run raises it with {@code -Djqwik.tries.default=N} (see mtp-core/README.md).
 */
class ResponderFuzzTest {
  private static Path dir;
  private static TestHost host;
  private static final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();

  private static final int[] CODES;
  static {
    OperationCode[] all = OperationCode.values();
    CODES = new int[all.length];
    for (int i = 0; i < all.length; i++) CODES[i] = all[i].value();
  }

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("mtp-fuzz");
    seed();
    host = new TestHost(Fixtures.responder(dir));
    host.link.timeout(10_000);
  }

  private static void seed() throws IOException {
    Files.createDirectories(dir.resolve("docs/deeper"));
    Files.writeString(dir.resolve("a.txt"), "hello");
    Files.write(dir.resolve("docs/b.jpg"), new byte[2048]);
    Files.writeString(dir.resolve("docs/deeper/c.txt"), "c");
  }

  @AfterContainer
  static void stop() throws Exception {
    // Printed to the surefire *-output.txt report; the long run sums it.
    System.out.println("transactions = " + transactions.get() + ", unexpected failures = " + host.responder.unexpectedFailures());
    host.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Tx(int code, int tidMode, int[] params, byte[] data, int fault, FaultPoint point, int faultBytes) {}

  @Provide
  Arbitrary<Tx> transactions() {
    Arbitrary<Integer> code = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(box(CODES))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)));
    Arbitrary<Integer> param = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 40)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(0, 0xFFFFFFFF, 0x00010001, 0x00020001, 0x3000, 0x3001, 0xDC04, 0xDC07, 0xDC09, 0xD402, 1)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
    Arbitrary<int[]> params = param.array(int[].class).ofMaxSize(5);
    Arbitrary<byte[]> data = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
        net.jqwik.api.Tuple.of(2, plausibleDatasets()),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(3000)));
    return Combinators.combine(code, Arbitraries.integers().between(0, 9), params, data,
        Arbitraries.integers().between(0, 9), Arbitraries.of(FaultPoint.class), Arbitraries.integers().between(0, 200))
        .as(Tx::new);
  }

  @Provide
  Arbitrary<List<Tx>> sequences() { return transactions().list().ofMinSize(1).ofMaxSize(12); }

  private static Arbitrary<byte[]> plausibleDatasets() {
    return Combinators.combine(Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u4e2d').ofMinLength(0).ofMaxLength(12), Arbitraries.of(0x3000, 0x3001, 0x3801, 0xB999),
        Arbitraries.longs().between(0, 5000), Arbitraries.integers().between(0, 12))
        .as((name, fmt, size, cut) -> {
          byte[] full = Fixtures.objectInfo(name, fmt, size, 0);
          return cut == 0 ? full : java.util.Arrays.copyOf(full, Math.max(0, full.length - cut));
        });
  }

  private static Integer[] box(int[] a) { return java.util.Arrays.stream(a).boxed().toArray(Integer[]::new); }

  @Property
  void theResponderSurvivesAnySequenceOfTransactions(@ForAll("sequences") List<Tx> sequence) throws Exception {
    if (host.responder.session() == null) host.open();
    for (Tx t : sequence.subList(0, Math.min(12, sequence.size()))) run(t);
    assertTrue(host.alive(), "the responder thread died");
    assertEquals(List.of(), host.link.violations(), "protocol violations");
    assertEquals(0, host.responder.unexpectedFailures(), "unexpected exceptions (see the log)");
    assertTrue(noTempFiles(), "a temporary upload file survived outside an announced upload");
  }

  private static boolean noTempFiles() throws IOException {
    if (host.responder.session() != null && host.responder.session().pendingObject() != null) return true;
    try (Stream<Path> s = Files.walk(dir)) {
      return s.noneMatch(p -> p.getFileName().toString().startsWith(".mtpbridge-"));
    }
  }

  private static void run(Tx t) throws IOException {
    int tid = switch (t.tidMode()) {
      case 0 -> 0;
      case 1 -> 0xFFFFFFFF;
      default -> host.nextTid();
    };
    boolean takesData = host.responder.handlers().containsKey(t.code()) ? host.responder.handlers().get(t.code()).receivesData()
        : (t.code() & 1) == 0;
    LoopbackRequest r = LoopbackRequest.of(new Command(t.code(), tid, t.params()));
    if (takesData) r.data(t.data());
    if (t.fault() == 1) {
      if (t.point() == FaultPoint.AFTER_BYTES) r.cancelAfterBytes(t.faultBytes()); else r.cancelAt(t.point());
    } else if (t.fault() == 2) {
      if (t.point() == FaultPoint.AFTER_BYTES) r.resetAfterBytes(t.faultBytes()); else r.resetAt(t.point());
    }
    LoopbackExchange x = host.request(r);
    transactions.incrementAndGet();
    if (x.response() == null && !x.cancelled() && !x.reset()) {
      throw new AssertionError("no response to " + r.command());
    }
    if (!Files.exists(dir.resolve("a.txt"))) {
      try {
        seed();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
