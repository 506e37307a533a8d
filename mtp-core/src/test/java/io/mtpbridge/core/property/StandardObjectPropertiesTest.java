package io.mtpbridge.core.property;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.storage.ObjectMetadata;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.IntRange;

/** The lengths used to size a streamed property list must equal what is then encoded. */
class StandardObjectPropertiesTest {

  @Property(tries = 300)
  void computedLengthsEqualEncodedLengths(@ForAll @LongRange(min = -70_000_000_000_000L, max = 300_000_000_000L) long seconds,
                                          @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
                                          @ForAll("names") String name) throws Exception {
    Instant t = Instant.ofEpochSecond(seconds, nanos);
    ObjectMetadata m = new ObjectMetadata(name, false, seconds & 0xFFFFFF, t, t, false, false, 0, "k" + seconds);
    var node = MtpResponder.builder().install(StandardOperations.SET).build().objects().root(dummySlot());
    ObjectView v = new ObjectView(node, m, 0x3000);
    for (ObjectProperty p : StandardObjectProperties.all()) {
      assertEquals(p.value(v).encodedLength(), p.encodedLength(v), "property " + Integer.toHexString(p.code()) + " at " + t);
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> names() {
    return net.jqwik.api.Arbitraries.strings().withCharRange('a', 'z').withChars('\u00e9', '\u4e2d').ofMinLength(1).ofMaxLength(200);
  }

  private static io.mtpbridge.core.responder.StorageSlot dummySlot() {
    return new io.mtpbridge.core.responder.StorageSlot(0x00010001, new io.mtpbridge.core.storage.Storage() {
      @Override public io.mtpbridge.core.storage.StorageDetails details() { throw new UnsupportedOperationException(); }
      @Override public ObjectMetadata stat(io.mtpbridge.core.storage.ObjectPath p) { throw new UnsupportedOperationException(); }
      @Override public java.util.stream.Stream<ObjectMetadata> list(io.mtpbridge.core.storage.ObjectPath f) { return java.util.stream.Stream.empty(); }
      @Override public java.nio.channels.ReadableByteChannel openRead(io.mtpbridge.core.storage.ObjectPath p, long o) { throw new UnsupportedOperationException(); }
    });
  }
}
