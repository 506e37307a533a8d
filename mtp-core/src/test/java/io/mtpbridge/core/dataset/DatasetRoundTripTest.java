package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every dataset, form and data type survives encode then decode unchanged, consumes exactly the
 * bytes it wrote, and reports its encoded length correctly.
 */
class DatasetRoundTripTest {

  interface Decoder<T> { T decode(ByteBuf in) throws MalformedDatasetException; }

  private static <T> void roundTrip(T value, java.util.function.BiConsumer<T, ByteBuf> encoder, int declaredLength, Decoder<T> decoder)
      throws MalformedDatasetException {
    ByteBuf buf = Buffers.encode(b -> encoder.accept(value, b));
    assertEquals(declaredLength, buf.readableBytes(), "encodedLength");
    buf.writeByte(0x5A); // a trailing byte must be left unread
    T back = decoder.decode(buf);
    assertEquals(value, back);
    assertEquals(1, buf.readableBytes(), "bytes left after decode");
  }

  @Property
  void ptpStrings(@ForAll("strings") String s) throws Exception {
    roundTrip(s, PtpString::encode, PtpString.encodedLength(s), PtpString::decode);
  }

  @Property
  void propertyValuesOfEveryType(@ForAll("values") PropertyValue v) throws Exception {
    roundTrip(v, PropertyValue::encode, v.encodedLength(), in -> PropertyValue.decode(in, v.type()));
  }

  @Property
  void objectPropDescsWithEveryForm(@ForAll("objectPropDescs") ObjectPropDesc d) throws Exception {
    roundTrip(d, ObjectPropDesc::encode, d.encodedLength(), ObjectPropDesc::decode);
  }

  @Property
  void devicePropDescs(@ForAll("devicePropDescs") DevicePropDesc d) throws Exception {
    roundTrip(d, DevicePropDesc::encode, d.encodedLength(), DevicePropDesc::decode);
  }

  @Property
  void deviceInfos(@ForAll("deviceInfos") DeviceInfo d) throws Exception {
    roundTrip(d, DeviceInfo::encode, d.encodedLength(), DeviceInfo::decode);
  }

  @Property
  void storageInfos(@ForAll("storageInfos") StorageInfo s) throws Exception {
    roundTrip(s, StorageInfo::encode, s.encodedLength(), StorageInfo::decode);
  }

  @Property
  void objectInfos(@ForAll("objectInfos") ObjectInfo o) throws Exception {
    roundTrip(o, ObjectInfo::encode, o.encodedLength(), ObjectInfo::decode);
  }

  @Property
  void objectPropLists(@ForAll("propLists") ObjectPropList l) throws Exception {
    roundTrip(l, ObjectPropList::encode, l.encodedLength(), ObjectPropList::decode);
  }

  @Property
  void dateTimeStrings(@ForAll("dateTimes") DateTimeString d) throws Exception {
    assertEquals(d, DateTimeString.parse(d.format()));
  }

  @Provide
  Arbitrary<DateTimeString> dateTimes() {
    Arbitrary<java.time.LocalDateTime> local = net.jqwik.api.Combinators.combine(
            net.jqwik.api.Arbitraries.integers().between(0, 9999), net.jqwik.api.Arbitraries.integers().between(1, 12),
            net.jqwik.api.Arbitraries.integers().between(1, 28), net.jqwik.api.Arbitraries.integers().between(0, 23),
            net.jqwik.api.Arbitraries.integers().between(0, 59), net.jqwik.api.Arbitraries.integers().between(0, 59),
            net.jqwik.api.Arbitraries.integers().between(0, 9))
        .as((y, mo, d, h, mi, s, tenths) -> java.time.LocalDateTime.of(y, mo, d, h, mi, s, tenths * 100_000_000));
    Arbitrary<java.time.ZoneOffset> offset = net.jqwik.api.Arbitraries.integers().between(-18 * 60, 18 * 60)
        .map(m -> java.time.ZoneOffset.ofTotalSeconds(m * 60)).injectNull(0.3);
    return net.jqwik.api.Combinators.combine(local, offset).as(DateTimeString::new);
  }

  @Provide Arbitrary<String> strings() { return DatasetArbitraries.ptpStrings(); }
  @Provide Arbitrary<PropertyValue> values() { return DatasetArbitraries.anyValue(); }
  @Provide Arbitrary<ObjectPropDesc> objectPropDescs() { return DatasetArbitraries.objectPropDescs(); }
  @Provide Arbitrary<DevicePropDesc> devicePropDescs() { return DatasetArbitraries.devicePropDescs(); }
  @Provide Arbitrary<DeviceInfo> deviceInfos() { return DatasetArbitraries.deviceInfos(); }
  @Provide Arbitrary<StorageInfo> storageInfos() { return DatasetArbitraries.storageInfos(); }
  @Provide Arbitrary<ObjectInfo> objectInfos() { return DatasetArbitraries.objectInfos(); }
  @Provide Arbitrary<ObjectPropList> propLists() { return DatasetArbitraries.propLists(); }
}
