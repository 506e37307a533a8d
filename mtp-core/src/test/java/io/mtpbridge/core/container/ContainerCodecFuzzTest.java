package io.mtpbridge.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Arbitrary bytes into the container decoders: a container or {@link MalformedContainerException},
 * nothing else; what decodes re-encodes to the same bytes it was read from.
 */
class ContainerCodecFuzzTest {

  @Property
  void headerFromBytes(@ForAll("containers") byte[] b) {
    ByteBuf in = Unpooled.wrappedBuffer(b);
    try {
      ContainerHeader h = ContainerHeader.decode(in);
      assertTrue(h.length() >= ContainerHeader.SIZE);
      ByteBuf out = Unpooled.buffer();
      h.encode(out);
      assertEquals(Unpooled.wrappedBuffer(b, 0, ContainerHeader.SIZE), out);
    } catch (MalformedContainerException expected) {
      // rejected with a message, as it should be
    }
  }

  @Property
  void commandFromBytes(@ForAll("containers") byte[] b) {
    try {
      Command c = ContainerCodec.decodeCommand(Unpooled.wrappedBuffer(b));
      ByteBuf out = Unpooled.buffer();
      ContainerCodec.encodeCommand(c, out);
      assertEquals(Unpooled.wrappedBuffer(b, 0, out.readableBytes()), out);
    } catch (MalformedContainerException expected) {
      // rejected
    }
  }

  @Property
  void responseFromBytes(@ForAll("containers") byte[] b) {
    try {
      Response r = ContainerCodec.decodeResponse(Unpooled.wrappedBuffer(b));
      ByteBuf out = Unpooled.buffer();
      ContainerCodec.encodeResponse(r, out);
      assertEquals(Unpooled.wrappedBuffer(b, 0, out.readableBytes()), out);
    } catch (MalformedContainerException expected) {
      // rejected
    }
  }

  @Property
  void eventFromBytes(@ForAll("containers") byte[] b) {
    try {
      Event e = ContainerCodec.decodeEvent(Unpooled.wrappedBuffer(b));
      assertTrue(e.paramCount() <= 3);
    } catch (MalformedContainerException expected) {
      // rejected
    }
  }

  @Property
  void commandRoundTrip(@ForAll int code, @ForAll int tid, @ForAll("params") int[] params) throws Exception {
    ByteBuf out = Unpooled.buffer();
    ContainerCodec.encodeCommand(new Command(code, tid, params), out);
    Command back = ContainerCodec.decodeCommand(out);
    assertEquals(code & 0xFFFF, back.code());
    assertEquals(tid, back.transactionId());
    assertArrayEquals(params, back.params());
  }

  /** Mostly plausible containers (length 12..36, type 1..4) with random bytes mixed in. */
  @Provide
  Arbitrary<byte[]> containers() {
    Arbitrary<byte[]> plausible = Arbitraries.integers().between(0, 6).flatMap(n ->
        Arbitraries.integers().between(0, 5).flatMap(type ->
            Arbitraries.bytes().array(byte[].class).ofSize(8 + 4 * n).map(rest -> {
              ByteBuf b = Unpooled.buffer();
              b.writeIntLE(12 + 4 * n);
              b.writeShortLE(type);
              b.writeBytes(rest, 2, rest.length - 2);
              return java.util.Arrays.copyOf(b.array(), b.writerIndex());
            })));
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    return Arbitraries.frequencyOf(Tuple.of(3, plausible), Tuple.of(1, random));
  }

  @Provide
  Arbitrary<int[]> params() {
    return Arbitraries.integers().array(int[].class).ofMaxSize(5);
  }
}
