package io.mtpbridge.usb.mtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.MtpProtocolException;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.core.transport.TransportResetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Feeds arbitrary packet sequences to the bulk OUT side and serves them like a responder would:
 * every outcome must be a command that really was in the input, a protocol error, a cancel, or the
 * end of the script; never a hang, a crash, or an invented command.
 */
class OutSideDecoderFuzzTest {
  private static final int[] SPEEDS = {64, 512, 1024};
  private static final int SEND_OBJECT = 0x100D;

  @Property(tries = 250)
  void arbitraryPacketsGiveCommandsOrCleanErrors(@ForAll("scripts") List<byte[]> transfers,
                                                 @ForAll @IntRange(min = 0, max = 2) int speed) throws Exception {
    int mps = SPEEDS[speed];
    FakeUsbFunction usb = new FakeUsbFunction(mps, 1 << 16);
    UsbMtpTransport transport = new UsbMtpTransport(usb);
    transport.start();
    usb.enable();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] t : transfers) {
      wire.write(t);
      if (t.length == 0) usb.hostSendZlp();
      else usb.hostSend(t, false);
    }
    usb.out.endScript();
    byte[] input = wire.toByteArray();
    ExecutorService protocol = Executors.newSingleThreadExecutor();
    try {
      Future<List<Command>> served = protocol.submit(() -> serve(transport));
      List<Command> commands = served.get(10, TimeUnit.SECONDS);
      for (Command c : commands) {
        assertTrue(contains(input, Containers.command(c.code(), c.transactionId(), c.params())),
            "returned " + c + " that was not in the input");
      }
    } finally {
      transport.close();
      protocol.shutdownNow();
    }
  }

  @Property(tries = 150)
  void wellFormedCommandsSurroundedByStrayZlpsAllArriveInOrder(@ForAll("commandLists") List<byte[]> commands,
                                                               @ForAll @IntRange(min = 0, max = 2) int speed) throws Exception {
    int mps = SPEEDS[speed];
    FakeUsbFunction usb = new FakeUsbFunction(mps, 1 << 16);
    UsbMtpTransport transport = new UsbMtpTransport(usb);
    transport.start();
    usb.enable();
    for (byte[] c : commands) {
      usb.hostSendZlp();
      usb.hostSend(c, false);
    }
    usb.out.endScript();
    ExecutorService protocol = Executors.newSingleThreadExecutor();
    try {
      List<Command> got = protocol.submit(() -> serve(transport)).get(10, TimeUnit.SECONDS);
      assertEquals(commands.size(), got.size());
      for (int i = 0; i < got.size(); i++) {
        Command c = got.get(i);
        assertEquals(ByteBuffer.wrap(commands.get(i)), ByteBuffer.wrap(Containers.command(c.code(), c.transactionId(), c.params())));
      }
    } finally {
      transport.close();
      protocol.shutdownNow();
    }
  }

  /** A responder's loop, reduced to framing: receive, take the data phase of SendObject, repeat. */
  private static List<Command> serve(UsbMtpTransport transport) {
    List<Command> commands = new ArrayList<>();
    ByteBuffer sink = ByteBuffer.allocate(4096);
    while (true) {
      Command c;
      try {
        c = transport.receiveCommand();
      } catch (TransportResetException endOfScript) {
        return commands;
      } catch (IOException e) {
        throw new AssertionError("unexpected failure receiving a command", e);
      }
      commands.add(c);
      if (c.code() != SEND_OBJECT) continue;
      try (DataIn in = transport.receiveData(c)) {
        while (in.read(sink.clear()) >= 0) {
          // consumed
        }
      } catch (MtpProtocolException | TransactionCancelledException expected) {
        // clean errors for malformed or abandoned data phases
      } catch (TransportResetException endOfScript) {
        return commands;
      } catch (IOException e) {
        throw new AssertionError("unexpected failure in a data phase", e);
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }

  @Provide Arbitrary<List<byte[]>> scripts() {
    Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(3000);
    Arbitrary<byte[]> command = commandContainer();
    Arbitrary<byte[]> sendObject = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3000))
        .as((tid, len) -> Containers.command(SEND_OBJECT, tid, 0, 0));
    Arbitrary<byte[]> data = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3000),
            Arbitraries.integers().between(-8, 8), Arbitraries.of(SEND_OBJECT, 0x1009))
        .as((tid, len, skew, code) -> {
          byte[] payload = Containers.pattern(len, tid);
          byte[] container = Containers.data(code, tid, payload);
          long declared = skew == 8 ? 0xFFFFFFFFL : Math.max(0, 12L + len + skew);
          ByteBuffer.wrap(container).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, (int) declared);
          return container;
        });
    Arbitrary<byte[]> header = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.longs().between(0, 5000))
        .as((tid, len) -> Containers.dataHeader(len, SEND_OBJECT, tid));
    Arbitrary<byte[]> transfer = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, junk), net.jqwik.api.Tuple.of(3, command), net.jqwik.api.Tuple.of(3, sendObject),
        net.jqwik.api.Tuple.of(3, data), net.jqwik.api.Tuple.of(2, header),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(new byte[0])));
    return transfer.list().ofMaxSize(25);
  }

  @Provide Arbitrary<List<byte[]>> commandLists() { return commandContainer().filter(c -> (c[6] & 0xFF) != 0x0D || c[7] != 0x10).list().ofMaxSize(20); }

  private static Arbitrary<byte[]> commandContainer() {
    return Combinators.combine(Arbitraries.integers().between(0x1001, 0x1020), Arbitraries.integers(),
            Arbitraries.integers().list().ofMaxSize(5))
        .as((code, tid, params) -> Containers.command(code, tid, params.stream().mapToInt(Integer::intValue).toArray()));
  }
}
