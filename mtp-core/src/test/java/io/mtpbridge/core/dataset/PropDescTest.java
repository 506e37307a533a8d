package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.DevicePropertyCode;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.PropertyFormType;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropDescTest {
  private static ObjectPropDesc roundTrip(ObjectPropDesc d) throws Exception {
    byte[] b = Buffers.bytes(d::encode);
    assertEquals(d.encodedLength(), b.length);
    ObjectPropDesc back = ObjectPropDesc.decode(io.netty.buffer.Unpooled.wrappedBuffer(b));
    assertEquals(d, back);
    return back;
  }

  @Test
  void objectFileNameWithNoFormKnownBytes() throws Exception {
    ObjectPropDesc d = ObjectPropDesc.of(ObjectPropertyCode.OBJECT_FILE_NAME, true, PropertyForm.None.INSTANCE);
    // code DC07, STR FFFF, GetSet 1, default "" (00), group 0, form 0
    assertEquals("07dc" + "ffff" + "01" + "00" + "00000000" + "00", ByteBufUtil.hexDump(Buffers.bytes(d::encode)));
    roundTrip(d);
  }

  @Test
  void everyFormRoundTrips() throws Exception {
    roundTrip(new ObjectPropDesc(0xDC8A, DataType.UINT16, true, PropertyValue.uint16(0), 0,
        new PropertyForm.Range(PropertyValue.uint16(0), PropertyValue.uint16(100), PropertyValue.uint16(1))));
    roundTrip(new ObjectPropDesc(0xDC03, DataType.UINT16, false, PropertyValue.uint16(0), 0,
        new PropertyForm.Enumeration(List.of(PropertyValue.uint16(0), PropertyValue.uint16(1)))));
    roundTrip(ObjectPropDesc.of(ObjectPropertyCode.DATE_MODIFIED, true, PropertyForm.DateTime.INSTANCE));
    roundTrip(new ObjectPropDesc(0xDC0C, DataType.AUINT16, false, PropertyValue.zero(DataType.AUINT16), 0, new PropertyForm.FixedLengthArray(4)));
    roundTrip(new ObjectPropDesc(0xDC49, DataType.STR, true, PropertyValue.str(""), 0, new PropertyForm.RegularExpression("[a-z]+://.*")));
    roundTrip(new ObjectPropDesc(0xDC86, DataType.AUINT8, false, PropertyValue.zero(DataType.AUINT8), 0, new PropertyForm.ByteArray(0xFFFF)));
    roundTrip(new ObjectPropDesc(0xDC48, DataType.AUINT16, true, PropertyValue.zero(DataType.AUINT16), 0, new PropertyForm.LongString(0xFFFFFFFFL)));
  }

  @Test
  void formFlagsAreTheSpecValues() {
    assertEquals(0xFF, Buffers.bytes(new PropertyForm.LongString(1)::encode)[0] & 0xFF);
    assertEquals(PropertyFormType.BYTE_ARRAY.value(), Buffers.bytes(new PropertyForm.ByteArray(1)::encode)[0]);
    assertEquals(3, Buffers.bytes(PropertyForm.DateTime.INSTANCE::encode)[0]);
  }

  @Test
  void formsMustFitTheDataType() {
    assertThrows(IllegalArgumentException.class,
        () -> new ObjectPropDesc(0xDC09, DataType.UINT32, true, PropertyValue.uint32(0), 0, PropertyForm.DateTime.INSTANCE));
    assertThrows(IllegalArgumentException.class, () -> new ObjectPropDesc(0xDC8A, DataType.UINT16, true, PropertyValue.uint16(0), 0,
        new PropertyForm.Range(PropertyValue.uint32(0), PropertyValue.uint32(1), PropertyValue.uint32(1))));
    assertThrows(IllegalArgumentException.class, () -> new ObjectPropDesc(0xDC8A, DataType.UINT16, true, PropertyValue.uint8(0), 0, PropertyForm.None.INSTANCE));
    assertThrows(IllegalArgumentException.class, () -> new DevicePropDesc(0xD402, DataType.STR, true, PropertyValue.str(""), PropertyValue.str(""),
        PropertyForm.DateTime.INSTANCE));
  }

  @Test
  void devicePropDescKnownBytes() throws Exception {
    DevicePropDesc d = new DevicePropDesc(DevicePropertyCode.DEVICE_FRIENDLY_NAME.value(), DataType.STR, true,
        PropertyValue.str(""), PropertyValue.str("Hi"), PropertyForm.None.INSTANCE);
    assertEquals("02d4" + "ffff" + "01" + "00" + "03480069000000" + "00", ByteBufUtil.hexDump(Buffers.bytes(d::encode)));
    assertEquals(d, DevicePropDesc.decode(Buffers.encode(d::encode)));
    DevicePropDesc e = new DevicePropDesc(0xD407, DataType.UINT32, false, PropertyValue.uint32(0), PropertyValue.uint32(3),
        new PropertyForm.Enumeration(List.of(PropertyValue.uint32(0), PropertyValue.uint32(3))));
    assertEquals(e, DevicePropDesc.decode(Buffers.encode(e::encode)));
  }

  @Test
  void deviceDescWithAnObjectOnlyFormIsMalformed() {
    // D402 STR get-set "" "" then DateTime form
    MalformedDatasetException ex = assertThrows(MalformedDatasetException.class, () -> DevicePropDesc.decode(Buffers.hex("02d4 ffff 01 00 00 03")));
    assertEquals(ResponseCode.INVALID_DATASET, ex.responseCode());
  }

  @Test
  void decodingRejectsBadFields() {
    assertEquals(ResponseCode.INVALID_OBJECT_PROP_FORMAT,
        assertThrows(MalformedDatasetException.class, () -> ObjectPropDesc.decode(Buffers.hex("07dc 3412 01 00 00000000 00"))).responseCode());
    assertEquals(ResponseCode.INVALID_DATASET,
        assertThrows(MalformedDatasetException.class, () -> ObjectPropDesc.decode(Buffers.hex("07dc ffff 02 00 00000000 00"))).responseCode());
    assertEquals(ResponseCode.INVALID_DATASET,
        assertThrows(MalformedDatasetException.class, () -> ObjectPropDesc.decode(Buffers.hex("07dc ffff 01 00 00000000 07"))).responseCode());
    // LongString form on a UINT16 property
    assertEquals(ResponseCode.INVALID_DATASET,
        assertThrows(MalformedDatasetException.class, () -> ObjectPropDesc.decode(Buffers.hex("8adc 0400 01 0000 00000000 ff 01000000"))).responseCode());
  }

  @Test
  void enumerationCountBeyondTheDataIsRejected() {
    // UINT32 property, enumeration of 0xFFFF values with one value behind it
    assertThrows(MalformedDatasetException.class, () -> ObjectPropDesc.decode(Buffers.hex("04dc 0600 00 00000000 00000000 02 ffff 01000000")));
  }

  @Test
  void decodedFormsHaveTheirTypes() throws Exception {
    ObjectPropDesc d = roundTrip(ObjectPropDesc.of(ObjectPropertyCode.DATE_CREATED, false, PropertyForm.DateTime.INSTANCE));
    assertInstanceOf(PropertyForm.DateTime.class, d.form());
    assertEquals(PropertyFormType.DATE_TIME, d.form().formType());
  }
}
