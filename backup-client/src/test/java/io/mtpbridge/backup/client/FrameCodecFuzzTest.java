package io.mtpbridge.backup.client;

import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import io.mtpbridge.backup.client.wire.FrameFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The IPC decoder: garbage is a FrameFormatException; every valid frame survives a round trip. */
class FrameCodecFuzzTest {

  @Property(tries = 1000)
  void arbitraryBodies(@ForAll byte[] body) {
    try {
      Frame f = FrameCodec.decode(body);
      // Whatever decodes must re-encode to the same bytes: the format has one spelling.
      byte[] again = FrameCodec.encode(f);
      if (!Arrays.equals(Arrays.copyOfRange(again, 4, again.length), body)) throw new AssertionError("non-canonical decode of " + Arrays.toString(body));
    } catch (FrameFormatException expected) {
      // refused
    }
  }

  @Property(tries = 500)
  void arbitraryStreams(@ForAll byte[] stream) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(stream);
    try {
      while (FrameCodec.read(in) != null) {
        // keep reading
      }
    } catch (FrameFormatException expected) {
      // refused
    }
  }

  @Property(tries = 300)
  void validFramesRoundTrip(@ForAll("frames") Frame frame) throws IOException {
    Frame back = FrameCodec.read(new ByteArrayInputStream(FrameCodec.encode(frame)));
    if (!Arrays.equals(FrameCodec.encode(back), FrameCodec.encode(frame))) throw new AssertionError(frame + " != " + back);
  }

  @Provide
  Arbitrary<Frame> frames() {
    Arbitrary<String> s = Arbitraries.strings().ofMaxLength(40);
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    Arbitrary<Integer> i = Arbitraries.integers();
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.integers().between(0, 65535), s).as(Frame.Hello::new),
        s.map(Frame.Refused::new),
        Combinators.combine(i, Arbitraries.of(true, false), s.list().ofMaxSize(5)).as((m, a, v) -> (Frame) new Frame.Mode(m, a, v)),
        i.map(Frame.Ready::new),
        Combinators.combine(i, Arbitraries.integers().between(0, 255), s, Arbitraries.of(true, false), data).as(Frame.Call::new),
        Combinators.combine(i, Arbitraries.of(true, false), Arbitraries.longs(), data).as(Frame.Result::new),
        Combinators.combine(i, s).as(Frame.Failed::new),
        Arbitraries.just(new Frame.Terminate()),
        Arbitraries.just(new Frame.Welcome()));
  }

  @SuppressWarnings("unused")
  private static final List<Integer> NONE = List.of();
}
