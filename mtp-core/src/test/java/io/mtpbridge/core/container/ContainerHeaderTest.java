package io.mtpbridge.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ContainerHeaderTest {
  static ByteBuf hex(String s) { return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(s.replace(" ", ""))); }

  @Test
  void encodesLittleEndian() {
    ByteBuf out = Unpooled.buffer();
    new ContainerHeader(0x20, ContainerType.DATA, 0x1008, 0x01020304).encode(out);
    assertEquals("20000000" + "0200" + "0810" + "04030201", ByteBufUtil.hexDump(out));
  }

  @Test
  void decodesAndAdvancesTwelveBytes() throws Exception {
    ByteBuf in = hex("10000000 0100 0210 07000000 01000000 ff");
    ContainerHeader h = ContainerHeader.decode(in);
    assertEquals(new ContainerHeader(16, ContainerType.COMMAND, 0x1002, 7), h);
    assertEquals(4, h.payloadLength());
    assertEquals(5, in.readableBytes());
  }

  @Test
  void unknownLengthIsAllOnes() throws Exception {
    ContainerHeader h = ContainerHeader.decode(hex("ffffffff 0200 0910 05000000"));
    assertTrue(h.hasUnknownLength());
    assertEquals(-1, h.payloadLength());
    assertEquals(ContainerHeader.UNKNOWN_LENGTH, h.length());
    assertFalse(new ContainerHeader(12, ContainerType.DATA, 0x1009, 5).hasUnknownLength());
    ByteBuf out = Unpooled.buffer();
    h.encode(out);
    assertEquals("ffffffff", ByteBufUtil.hexDump(out, 0, 4));
  }

  @Test
  void codesAndIdsUseAllBits() throws Exception {
    ContainerHeader h = ContainerHeader.decode(hex("0c000000 0400 ffff ffffffff"));
    assertEquals(0xFFFF, h.code());
    assertEquals(-1, h.transactionId());
    assertEquals(ContainerType.EVENT, h.type());
  }

  @Test
  void rejectsShortInput() {
    for (int n = 0; n < 12; n++) {
      ByteBuf in = Unpooled.wrappedBuffer(new byte[n]);
      assertThrows(MalformedContainerException.class, () -> ContainerHeader.decode(in), n + " bytes");
    }
  }

  @Test
  void rejectsUnknownTypes() {
    assertThrows(MalformedContainerException.class, () -> ContainerHeader.decode(hex("0c000000 0000 0110 00000000")));
    assertThrows(MalformedContainerException.class, () -> ContainerHeader.decode(hex("0c000000 0500 0110 00000000")));
    assertThrows(MalformedContainerException.class, () -> ContainerHeader.decode(hex("0c000000 0001 0110 00000000")));
  }

  @Test
  void rejectsLengthSmallerThanTheHeader() {
    assertThrows(MalformedContainerException.class, () -> ContainerHeader.decode(hex("0b000000 0100 0110 00000000")));
    assertThrows(MalformedContainerException.class, () -> ContainerHeader.decode(hex("00000000 0100 0110 00000000")));
  }

  @Test
  void dataHeaderUsesUnknownLengthBeyond32Bits() {
    assertEquals(12 + 100, ContainerHeader.dataHeader(100, 0x1009, 1).length());
    assertEquals(0xFFFFFFFEL, ContainerHeader.dataHeader(0xFFFFFFFEL - 12, 0x1009, 1).length());
    assertTrue(ContainerHeader.dataHeader(0xFFFFFFFFL - 12, 0x1009, 1).hasUnknownLength());
    assertTrue(ContainerHeader.dataHeader(5L << 30, 0x1009, 1).hasUnknownLength());
    assertTrue(ContainerHeader.dataHeader(-1, 0x1009, 1).hasUnknownLength());
    assertEquals(ContainerType.DATA, ContainerHeader.dataHeader(0, 0x1009, 1).type());
  }

  @Test
  void headersThatCannotBeWrittenAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ContainerHeader(5L << 30, ContainerType.DATA, 0x1009, 1));
    assertThrows(IllegalArgumentException.class, () -> new ContainerHeader(11, ContainerType.DATA, 0x1009, 1));
    assertThrows(IllegalArgumentException.class, () -> new ContainerHeader(12, ContainerType.DATA, 0x11009, 1));
    assertThrows(NullPointerException.class, () -> new ContainerHeader(12, null, 0x1009, 1));
  }

  @Test
  void containerTypeLookup() {
    for (ContainerType t : ContainerType.values()) assertEquals(t, ContainerType.of(t.value()));
    assertEquals(null, ContainerType.of(0));
  }
}
