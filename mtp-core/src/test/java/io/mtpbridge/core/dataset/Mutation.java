package io.mtpbridge.core.dataset;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A few byte-level edits applied to a valid encoding: overwrite bytes (often with 0x00 / 0xFF,
 * which turn counts and lengths into extremes), then optionally cut the tail or append junk.
 * Positions are fractions of the input length so one mutation fits any input.
 */
record Mutation(List<Edit> edits, double cutAt, byte[] appended) {

  record Edit(double position, byte value) {}

  byte[] apply(byte[] input) {
    byte[] out = input.clone();
    if (out.length > 0) {
      for (Edit e : edits) out[(int) (e.position * out.length) % out.length] = e.value;
    }
    int keep = cutAt >= 1.0 ? out.length : (int) (cutAt * out.length);
    byte[] cut = Arrays.copyOf(out, keep);
    byte[] result = Arrays.copyOf(cut, cut.length + appended.length);
    System.arraycopy(appended, 0, result, cut.length, appended.length);
    return result;
  }

  static Arbitrary<Mutation> mutations() {
    Arbitrary<Byte> interesting = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of((byte) 0x00, (byte) 0xFF, (byte) 0x01, (byte) 0x7F, (byte) 0x80, (byte) 0xD8, (byte) 0xDC)),
        net.jqwik.api.Tuple.of(2, Arbitraries.bytes()));
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.doubles().between(0, 1), interesting).as(Edit::new);
    Arbitrary<Double> cut = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(1.0)),
        net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0, 1)));
    Arbitrary<byte[]> appended = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just(new byte[0])),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(16)));
    return Combinators.combine(edit.list().ofMinSize(0).ofMaxSize(4), cut, appended).as(Mutation::new);
  }
}
