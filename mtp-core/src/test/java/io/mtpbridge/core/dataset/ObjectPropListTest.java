package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectPropListTest {
  @Test
  void knownBytes() {
    ObjectPropList l = new ObjectPropList(List.of(
        new ObjectPropList.Element(7, ObjectPropertyCode.OBJECT_FORMAT.value(), PropertyValue.uint16(ObjectFormat.TEXT.value())),
        new ObjectPropList.Element(7, ObjectPropertyCode.OBJECT_SIZE.value(), PropertyValue.uint64(5L << 30))));
    assertEquals("02000000"
        + "07000000" + "02dc" + "0400" + "0430"
        + "07000000" + "04dc" + "0800" + "0000004001000000", ByteBufUtil.hexDump(Buffers.bytes(l::encode)));
  }

  @Test
  void decodesSendObjectPropListWithHandleZero() throws Exception {
    // handle 0: ObjectFileName "a" (STR), then DateModified
    ByteBuf in = Buffers.hex("02000000 00000000 07dc ffff 02 6100 0000 00000000 09dc ffff 00");
    ObjectPropList l = ObjectPropList.decode(in);
    assertEquals(2, l.elements().size());
    assertEquals(PropertyValue.str("a"), l.elements().get(0).value());
    assertEquals(DataType.STR, l.elements().get(1).dataType());
    assertEquals(0, in.readableBytes());
  }

  @Test
  void streamedEncodingEqualsWholeEncoding() {
    ObjectPropList.Element a = new ObjectPropList.Element(1, 0xDC44, PropertyValue.str("x"));
    ObjectPropList.Element b = new ObjectPropList.Element(2, 0xDC0B, PropertyValue.uint32(1));
    ByteBuf streamed = Unpooled.buffer();
    ObjectPropList.writeCount(2, streamed);
    a.encode(streamed);
    b.encode(streamed);
    assertEquals(ByteBufUtil.hexDump(Buffers.bytes(new ObjectPropList(List.of(a, b))::encode)), ByteBufUtil.hexDump(streamed));
  }

  @Test
  void hugeCountIsRejectedBeforeAllocation() {
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class,
        () -> ObjectPropList.decode(Buffers.hex("ffffffff 00000000 07dc ffff 00")));
    assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
  }

  @Test
  void unknownDataTypeIsInvalidObjectPropFormat() {
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class,
        () -> ObjectPropList.decode(Buffers.hex("01000000 00000000 07dc 3412 00")));
    assertEquals(ResponseCode.INVALID_OBJECT_PROP_FORMAT, e.responseCode());
  }

  @Test
  void truncatedElementIsInvalidDataset() {
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class,
        () -> ObjectPropList.decode(Buffers.hex("01000000 00000000 04dc 0800 01020304")));
    assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
  }

  @Test
  void standardTypeCheck() {
    assertTrue(new ObjectPropList.Element(0, 0xDC04, PropertyValue.uint64(1)).hasStandardType());
    assertFalse(new ObjectPropList.Element(0, 0xDC04, PropertyValue.uint32(1)).hasStandardType());
    assertTrue(new ObjectPropList.Element(0, 0xD8F0, PropertyValue.uint32(1)).hasStandardType());
  }
}
