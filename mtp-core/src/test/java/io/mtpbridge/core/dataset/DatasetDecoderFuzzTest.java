package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mtpbridge.core.code.DataType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes every dataset decoder with arbitrary bytes and with mutated valid encodings. The only
 * acceptable outcomes are a value or a {@link MalformedDatasetException} carrying a response code;
 * any other exception (IndexOutOfBounds, IllegalArgument, OutOfMemory...) fails the property.
 * A decoded value must also be stable: encoding it and decoding again gives the same value.
 *
 * <p>Budget: jqwik's default tries per property (1000) in the normal run; the long run raises it
 * with {@code -Djqwik.tries.default=N} (see mtp-core/FUZZING.md).
 */
class DatasetDecoderFuzzTest {

  interface Decoder<T> { T decode(ByteBuf in) throws MalformedDatasetException; }

  /** Decodes {@code bytes}; a success must re-encode to something that decodes to an equal value. */
  static <T> void decodeOrReject(byte[] bytes, Decoder<T> decoder, BiConsumer<T, ByteBuf> encoder) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    T value;
    try {
      value = decoder.decode(in);
    } catch (MalformedDatasetException e) {
      assertNotNull(e.responseCode(), "a malformed dataset must carry a response code");
      return;
    }
    assertNotNull(value);
    ByteBuf again = Unpooled.buffer();
    encoder.accept(value, again);
    try {
      assertEquals(value, decoder.decode(again), "re-encoded value decodes differently");
    } catch (MalformedDatasetException e) {
      throw new AssertionError("re-encoded value " + value + " does not decode: " + e.getMessage(), e);
    }
  }

  // ---- arbitrary bytes ---------------------------------------------------------------------

  @Property
  void ptpStringFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, PtpString::decode, PtpString::encode); }

  @Property
  void uint16ArrayFromBytes(@ForAll("bytes") byte[] b) {
    decodeOrReject(b, in -> PropertyValue.array(DataType.AUINT16, java.util.Arrays.stream(PtpArrays.readUint16Array(in)).asLongStream().toArray()),
        PropertyValue::encode);
  }

  @Property
  void uint32ArrayFromBytes(@ForAll("bytes") byte[] b) {
    decodeOrReject(b, in -> java.util.Arrays.stream(PtpArrays.readUint32Array(in)).boxed().toList(),
        (list, out) -> PtpArrays.writeUint32Array(list.stream().mapToInt(Integer::intValue).toArray(), out));
  }

  @Property
  void propertyValueOfAnyTypeFromBytes(@ForAll("bytes") byte[] b, @ForAll("anyTypeCode") int typeCode) {
    DataType type = DataType.of(typeCode);
    if (type == null) return;
    decodeOrReject(b, in -> PropertyValue.decode(in, type), PropertyValue::encode);
  }

  @Property
  void objectPropDescFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, ObjectPropDesc::decode, ObjectPropDesc::encode); }

  @Property
  void devicePropDescFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, DevicePropDesc::decode, DevicePropDesc::encode); }

  @Property
  void deviceInfoFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, DeviceInfo::decode, DeviceInfo::encode); }

  @Property
  void storageInfoFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, StorageInfo::decode, StorageInfo::encode); }

  @Property
  void objectInfoFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, ObjectInfo::decode, ObjectInfo::encode); }

  @Property
  void objectPropListFromBytes(@ForAll("bytes") byte[] b) { decodeOrReject(b, ObjectPropList::decode, ObjectPropList::encode); }

  // ---- mutated valid encodings -------------------------------------------------------------

  @Property
  void mutatedPropertyValue(@ForAll("values") PropertyValue v, @ForAll("mutations") Mutation m) {
    byte[] bytes = m.apply(Buffers.bytes(v::encode));
    decodeOrReject(bytes, in -> PropertyValue.decode(in, v.type()), PropertyValue::encode);
  }

  @Property
  void mutatedObjectPropDesc(@ForAll("objectPropDescs") ObjectPropDesc d, @ForAll("mutations") Mutation m) {
    decodeOrReject(m.apply(Buffers.bytes(d::encode)), ObjectPropDesc::decode, ObjectPropDesc::encode);
  }

  @Property
  void mutatedDevicePropDesc(@ForAll("devicePropDescs") DevicePropDesc d, @ForAll("mutations") Mutation m) {
    decodeOrReject(m.apply(Buffers.bytes(d::encode)), DevicePropDesc::decode, DevicePropDesc::encode);
  }

  @Property
  void mutatedDeviceInfo(@ForAll("deviceInfos") DeviceInfo d, @ForAll("mutations") Mutation m) {
    decodeOrReject(m.apply(Buffers.bytes(d::encode)), DeviceInfo::decode, DeviceInfo::encode);
  }

  @Property
  void mutatedStorageInfo(@ForAll("storageInfos") StorageInfo s, @ForAll("mutations") Mutation m) {
    decodeOrReject(m.apply(Buffers.bytes(s::encode)), StorageInfo::decode, StorageInfo::encode);
  }

  @Property
  void mutatedObjectInfo(@ForAll("objectInfos") ObjectInfo o, @ForAll("mutations") Mutation m) {
    decodeOrReject(m.apply(Buffers.bytes(o::encode)), ObjectInfo::decode, ObjectInfo::encode);
  }

  @Property
  void mutatedObjectPropList(@ForAll("propLists") ObjectPropList l, @ForAll("mutations") Mutation m) {
    decodeOrReject(m.apply(Buffers.bytes(l::encode)), ObjectPropList::decode, ObjectPropList::encode);
  }

  // ---- DateTime strings ----------------------------------------------------------------------

  @Property
  void dateTimeFromArbitraryText(@ForAll("dateTexts") String s) {
    try {
      DateTimeString d = DateTimeString.parse(s);
      // the canonical form parses back to the same value, up to the tenths it keeps
      DateTimeString again = DateTimeString.parse(d.format());
      assertEquals(d.format(), again.format());
    } catch (MalformedDatasetException e) {
      assertNotNull(e.responseCode());
    }
  }

  // ---- providers -----------------------------------------------------------------------------

  @Provide
  Arbitrary<byte[]> bytes() {
    // small values dominate so counts and lengths are often plausible and decoding goes deep
    Arbitrary<Byte> b = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.bytes().between((byte) 0, (byte) 8)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) 0xFF, (byte) 0x40, (byte) 0xD8, (byte) 0xDC)),
        net.jqwik.api.Tuple.of(3, Arbitraries.bytes()));
    return b.array(byte[].class).ofMaxSize(400);
  }

  @Provide
  Arbitrary<Integer> anyTypeCode() {
    return Arbitraries.oneOf(Arbitraries.of(DataType.class).map(DataType::value), Arbitraries.integers().between(0, 0xFFFF));
  }

  @Provide
  Arbitrary<String> dateTexts() {
    Arbitrary<String> valid = net.jqwik.api.Combinators.combine(
            Arbitraries.strings().withChars("0123456789").ofLength(8),
            Arbitraries.strings().withChars("0123456789").ofLength(6),
            Arbitraries.of("", ".0", ".5", ".123456789", ".1234567890", "Z", "z", "+0100", "-05:30", "+1900", "-0060", "+01", "X", "T"))
        .as((date, time, suffix) -> date + "T" + time + suffix);
    Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789Tt.Zz+-: \u0000x").ofMaxLength(30);
    Arbitrary<String> any = Arbitraries.strings().ofMaxLength(30);
    return Arbitraries.oneOf(valid, noise, any);
  }

  @Provide Arbitrary<Mutation> mutations() { return Mutation.mutations(); }
  @Provide Arbitrary<PropertyValue> values() { return DatasetArbitraries.anyValue(); }
  @Provide Arbitrary<ObjectPropDesc> objectPropDescs() { return DatasetArbitraries.objectPropDescs(); }
  @Provide Arbitrary<DevicePropDesc> devicePropDescs() { return DatasetArbitraries.devicePropDescs(); }
  @Provide Arbitrary<DeviceInfo> deviceInfos() { return DatasetArbitraries.deviceInfos(); }
  @Provide Arbitrary<StorageInfo> storageInfos() { return DatasetArbitraries.storageInfos(); }
  @Provide Arbitrary<ObjectInfo> objectInfos() { return DatasetArbitraries.objectInfos(); }
  @Provide Arbitrary<ObjectPropList> propLists() { return DatasetArbitraries.propLists(); }

}
