package io.mtpbridge.core.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.responder.ObjectIndex;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.StorageSlot;
import io.mtpbridge.core.storage.ListingOnlyStorage;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * GetObjectPropList writes each element with {@link ObjectProperty#writeElement}; the standard
 * properties write their bytes without building a value. Those bytes must be exactly what the
 * element of the property's value encodes to (the way every list was written before), whatever
 * the name, times, size and flags, into a heap buffer (written through its array) or a direct one.
 */
class WrittenElementsTest {

  @Property(tries = 400)
  void everyStandardPropertyWritesWhatItsValueEncodesTo(
      @ForAll("names") String name,
      @ForAll @LongRange(min = -70_000_000_000_000L, max = 300_000_000_000L) long seconds,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
      @ForAll @IntRange(min = 0, max = 3) int createdKind,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long size,
      @ForAll boolean writeProtected,
      @ForAll boolean hidden,
      @ForAll boolean withKey,
      @ForAll boolean folder) throws Exception {
    Instant modified = Instant.ofEpochSecond(seconds, nanos);
    Instant created = switch (createdKind) {
      case 0 -> null;
      case 1 -> modified;
      case 2 -> Instant.ofEpochSecond(seconds - 86_400 * 400, nanos / 3);
      default -> Instant.ofEpochSecond(seconds, (nanos / 100_000_000) * 100_000_000); // same tenths, other nanos
    };
    ObjectMetadata m = new ObjectMetadata(name, folder, folder ? 0 : size, created, modified, writeProtected, hidden, 0,
        withKey ? "(dev=fd01,ino=" + (seconds & 0xFFFFFFFL) + ")" : null);
    ObjectNode node = nodeFor(m);
    ObjectView view = new ObjectView(node, m, node.formatCode());
    for (ObjectProperty p : StandardObjectProperties.all()) {
      ByteBuf expected = Unpooled.buffer();
      new ObjectPropList.Element(node.handle(), p.code(), p.value(view)).encode(expected);
      for (ByteBuf written : List.of(Unpooled.buffer(4), Unpooled.directBuffer(4), Unpooled.buffer(1024).writerIndex(7).readerIndex(7))) {
        try {
          p.writeElement(view, written);
          assertArrayEquals(ByteBufUtil.getBytes(expected), ByteBufUtil.getBytes(written),
              "property 0x" + Integer.toHexString(p.code()) + " of " + m + " into " + written.getClass().getSimpleName());
          assertEquals(expected.readableBytes(), 8 + p.encodedLength(view));
        } finally {
          written.release();
        }
      }
      expected.release();
    }
  }

  /** Names a storage may give: ASCII, Latin-1, other BMP characters and surrogate pairs, up to the 254-unit limit. */
  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> pieces = Arbitraries.of("a", "Z", "0", ".", " ", "-", "é", "ÿ", "中", "\u0100", "\uFFFD", "😀", "𝄞", ".jpg", "IMG_");
    return pieces.list().ofMinSize(1).ofMaxSize(80).map(l -> String.join("", l))
        .map(s -> s.length() > 254 ? s.substring(0, Character.isHighSurrogate(s.charAt(253)) ? 253 : 254) : s)
        .filter(s -> !s.equals(".") && !s.equals(".."));
  }

  /** A node for {@code m} in a folder "d" of a storage, as a listing makes it (so ParentObject is a real handle). */
  private static ObjectNode nodeFor(ObjectMetadata m) throws Exception {
    Storage storage = new ListingOnlyStorage() {
      @Override public Stream<ObjectMetadata> list(ObjectPath f) {
        return f.isRoot() ? Stream.of(ObjectMetadata.folder("d", Instant.EPOCH)) : Stream.of(m);
      }
    };
    ObjectIndex index = new ObjectIndex();
    ObjectNode root = index.root(new StorageSlot(0x00020001, storage));
    ObjectNode d = index.list(root).get(0);
    return index.list(d).get(0);
  }
}
