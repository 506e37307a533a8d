package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PropertyValueTest {
  private static String hex(PropertyValue v) { return ByteBufUtil.hexDump(Buffers.bytes(v::encode)); }

  @Test
  void scalarsAreLittleEndianAndSized() {
    assertEquals("ff", hex(PropertyValue.int8(-1)));
    assertEquals("ff", hex(PropertyValue.uint8(255)));
    assertEquals("3412", hex(PropertyValue.uint16(0x1234)));
    assertEquals("feff", hex(PropertyValue.int16(-2)));
    assertEquals("78563412", hex(PropertyValue.uint32(0x12345678L)));
    assertEquals("ffffffff", hex(PropertyValue.uint32(0xFFFFFFFFL)));
    assertEquals("0807060504030201", hex(PropertyValue.uint64(0x0102030405060708L)));
    assertEquals("0100000000000000" + "0200000000000000", hex(PropertyValue.uint128(1, 2)));
    for (DataType t : DataType.values()) {
      if (t.isScalar()) assertEquals(t.size(), PropertyValue.zero(t).encodedLength(), t.toString());
    }
  }

  @Test
  void everyScalarTypeDecodesItsExtremes() throws Exception {
    assertEquals(PropertyValue.int8(-128), PropertyValue.decode(Buffers.hex("80"), DataType.INT8));
    assertEquals(PropertyValue.uint8(0x80), PropertyValue.decode(Buffers.hex("80"), DataType.UINT8));
    assertEquals(PropertyValue.int16(Short.MIN_VALUE), PropertyValue.decode(Buffers.hex("0080"), DataType.INT16));
    assertEquals(PropertyValue.uint16(0x8000), PropertyValue.decode(Buffers.hex("0080"), DataType.UINT16));
    assertEquals(PropertyValue.int32(Integer.MIN_VALUE), PropertyValue.decode(Buffers.hex("00000080"), DataType.INT32));
    assertEquals(PropertyValue.uint32(0x80000000L), PropertyValue.decode(Buffers.hex("00000080"), DataType.UINT32));
    assertEquals(PropertyValue.int64(Long.MIN_VALUE), PropertyValue.decode(Buffers.hex("0000000000000080"), DataType.INT64));
    PropertyValue u64 = PropertyValue.decode(Buffers.hex("ffffffffffffffff"), DataType.UINT64);
    assertEquals("18446744073709551615", u64.toString());
  }

  @Test
  void int128AsBigInteger() throws Exception {
    PropertyValue.Int128 minusOne = (PropertyValue.Int128) PropertyValue.decode(Buffers.hex("ff".repeat(16)), DataType.INT128);
    assertEquals(BigInteger.ONE.negate(), minusOne.toBigInteger());
    PropertyValue.Int128 max = (PropertyValue.Int128) PropertyValue.decode(Buffers.hex("ff".repeat(16)), DataType.UINT128);
    assertEquals(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE), max.toBigInteger());
    assertEquals(BigInteger.valueOf(5).shiftLeft(64).add(BigInteger.valueOf(7)), PropertyValue.uint128(7, 5).toBigInteger());
  }

  @Test
  void rangeIsCheckedOnCreation() {
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.uint8(256));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.uint8(-1));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.int8(128));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.uint16(0x10000));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.uint32(-1));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.array(DataType.AUINT8, 1, 300));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.array(DataType.UINT8, 1));
    assertThrows(IllegalArgumentException.class, () -> PropertyValue.array(DataType.AUINT128, 1, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> new PropertyValue.Int(DataType.STR, 0));
    assertEquals(PropertyValue.uint32(0xFFFFFFFFL), PropertyValue.uint32Bits(-1));
  }

  @Test
  void arraysHaveACountThenElements() throws Exception {
    PropertyValue a = PropertyValue.array(DataType.AUINT16, 0x3001, 0x3000);
    assertEquals("02000000" + "0130" + "0030", hex(a));
    PropertyValue.Array back = (PropertyValue.Array) PropertyValue.decode(Buffers.encode(a::encode), DataType.AUINT16);
    assertEquals(2, back.length());
    assertEquals(PropertyValue.uint16(0x3000), back.get(1));
    PropertyValue wide = PropertyValue.array(DataType.AINT128, 1, 2, 3, 4);
    assertEquals(2, ((PropertyValue.Array) wide).length());
    assertEquals(PropertyValue.int128(3, 4), ((PropertyValue.Array) wide).get(1));
    assertEquals(4 + 32, wide.encodedLength());
    assertEquals(wide, PropertyValue.decode(Buffers.encode(wide::encode), DataType.AINT128));
  }

  @Test
  void arrayCountBeyondTheDataIsRejectedBeforeAllocating() {
    ByteBuf in = Buffers.hex("ffffffff 0000");
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> PropertyValue.decode(in, DataType.AUINT128));
    assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
    assertThrows(MalformedDatasetException.class, () -> PropertyValue.decode(Buffers.hex("03000000 0100 0200"), DataType.AUINT16));
  }

  @Test
  void truncatedScalarIsInvalidDataset() {
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> PropertyValue.decode(Buffers.hex("010203"), DataType.UINT32));
    assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
  }

  @Test
  void invalidStringIsInvalidPropValueAndUndefIsInvalidFormat() {
    MalformedDatasetException bad = assertThrows(MalformedDatasetException.class, () -> PropertyValue.decode(Buffers.hex("02 00DC 0000"), DataType.STR));
    assertEquals(ResponseCode.INVALID_OBJECT_PROP_VALUE, bad.responseCode());
    MalformedDatasetException cut = assertThrows(MalformedDatasetException.class, () -> PropertyValue.decode(Buffers.hex("05 4100"), DataType.STR));
    assertEquals(ResponseCode.INVALID_DATASET, cut.responseCode());
    MalformedDatasetException undef = assertThrows(MalformedDatasetException.class, () -> PropertyValue.decode(Buffers.hex("00"), DataType.UNDEF));
    assertEquals(ResponseCode.INVALID_OBJECT_PROP_FORMAT, undef.responseCode());
    assertEquals(ResponseCode.INVALID_DEVICE_PROP_VALUE, bad.withCode(ResponseCode.INVALID_DEVICE_PROP_VALUE).responseCode());
  }

  @Test
  void longStringsAreUint16Arrays() throws Exception {
    String text = "line one\nline two \uD83D\uDE00 " + "x".repeat(400);
    PropertyValue.Array v = PropertyValue.longString(text);
    assertEquals(DataType.AUINT16, v.type());
    assertEquals(text.length(), v.length());
    PropertyValue.Array back = (PropertyValue.Array) PropertyValue.decode(Buffers.encode(v::encode), DataType.AUINT16);
    assertEquals(text, back.asLongString());
    assertEquals("ab", ((PropertyValue.Array) PropertyValue.array(DataType.AUINT16, 'a', 'b', 0)).asLongString());
    assertThrows(IllegalStateException.class, () -> ((PropertyValue.Array) PropertyValue.array(DataType.AUINT8, 1)).asLongString());
  }

  @Test
  void zeroOfEveryType() {
    for (DataType t : DatasetArbitraries.VALUE_TYPES) assertEquals(t, PropertyValue.zero(t).type());
    assertEquals(PropertyValue.str(""), PropertyValue.zero(DataType.STR));
  }
}
