package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.AssociationType;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

class ObjectInfoTest {
  @Test
  void sizeOf4GibOrMoreIsAllOnes() {
    assertEquals(0xFFFFFFFEL, ObjectInfo.wireSize(0xFFFFFFFEL));
    assertEquals(0xFFFFFFFFL, ObjectInfo.wireSize(0xFFFFFFFFL));
    assertEquals(0xFFFFFFFFL, ObjectInfo.wireSize(4L << 30));
    assertEquals(0xFFFFFFFFL, ObjectInfo.wireSize(Long.MAX_VALUE));
    ObjectInfo big = ObjectInfo.builder().filename("big.iso").size(5L << 30).build();
    assertTrue(big.sizeExceeds32Bits());
    byte[] b = Buffers.bytes(big::encode);
    assertEquals("ffffffff", ByteBufUtil.hexDump(b, 8, 4));
    assertFalse(ObjectInfo.builder().size(10).build().sizeExceeds32Bits());
  }

  @Test
  void layoutPutsTheFilenameAfter52Bytes() {
    ObjectInfo folder = ObjectInfo.builder().storageId(0x00010001).objectFormat(ObjectFormat.ASSOCIATION.value())
        .parentObject(0xFFFFFFFF).associationType(AssociationType.GENERIC_FOLDER.value()).filename("DCIM").build();
    byte[] b = Buffers.bytes(folder::encode);
    assertEquals("01000100" + "0130" + "0000" + "00000000", ByteBufUtil.hexDump(b, 0, 12));
    assertEquals("ffffffff" + "0100", ByteBufUtil.hexDump(b, 38, 6));
    assertEquals(5, b[52]); // "DCIM" + NUL
    assertEquals('D', b[53]);
    assertEquals(b.length, folder.encodedLength());
    assertEquals(52 + 11 + 3, b.length);
  }

  @Test
  void decodesSendObjectInfoAsAHostSendsIt() throws Exception {
    // storage 0, Text, no protection, 12 bytes, parent 0, name "a.txt", modified 20240131T120000
    String name = "06 6100 2e00 7400 7800 7400 0000";
    String date = "10 3200 3000 3200 3400 3000 3100 3300 3100 5400 3100 3200 3000 3000 3000 3000 0000";
    ByteBuf in = Buffers.hex("00000000 0430 0000 0c000000 0000 00000000 00000000 00000000 00000000 00000000 00000000"
        + " 00000000 0000 00000000 00000000 " + name + " 00 " + date + " 00");
    ObjectInfo info = ObjectInfo.decode(in);
    assertEquals(ObjectFormat.TEXT.value(), info.objectFormat());
    assertEquals(12, info.objectCompressedSize());
    assertEquals("a.txt", info.filename());
    assertEquals("", info.dateCreated());
    assertEquals("20240131T120000", info.dateModified());
    assertEquals(0, in.readableBytes());
  }

  @Test
  void missingTrailingStringsReadAsEmpty() throws Exception {
    ObjectInfo full = ObjectInfo.builder().filename("x.bin").dateCreated("20200101T000000").build();
    byte[] b = Buffers.bytes(full::encode);
    int afterName = 52 + 1 + 2 * 6;
    ObjectInfo cut = ObjectInfo.decode(io.netty.buffer.Unpooled.wrappedBuffer(b, 0, afterName));
    assertEquals("x.bin", cut.filename());
    assertEquals("", cut.dateCreated());
    assertEquals("", cut.keywords());
  }

  @Test
  void truncationInsideAFieldIsInvalidDataset() {
    byte[] b = Buffers.bytes(ObjectInfo.builder().filename("x.bin").dateModified("20200101T000000").build()::encode);
    // b.length - 1 would drop just the (empty) Keywords, a field boundary that is accepted
    int[] cuts = {0, 4, 51, 52, 53, 60, 52 + 13 + 2, b.length - 2};
    for (int cut : cuts) {
      MalformedDatasetException e = assertThrows(MalformedDatasetException.class,
          () -> ObjectInfo.decode(io.netty.buffer.Unpooled.wrappedBuffer(b, 0, cut)), "cut at " + cut);
      assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
    }
  }

  @Test
  void badFilenameStringIsMalformed() {
    ByteBuf in = Buffers.hex("00".repeat(52) + "02 00D8 0000");
    assertThrows(MalformedDatasetException.class, () -> ObjectInfo.decode(in));
  }

  @Test
  void constructorRejectsOutOfRangeFields() {
    assertThrows(IllegalArgumentException.class, () -> ObjectInfo.builder().objectFormat(0x10000).build());
    assertThrows(IllegalArgumentException.class, () -> ObjectInfo.builder().size(-1));
    assertThrows(IllegalArgumentException.class, () -> ObjectInfo.builder().filename("n".repeat(255)).build());
  }
}
