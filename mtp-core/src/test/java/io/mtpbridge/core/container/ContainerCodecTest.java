package io.mtpbridge.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ContainerCodecTest {
  static ByteBuf hex(String s) { return ContainerHeaderTest.hex(s); }

  @Test
  void openSessionCommandAsLibmtpSendsIt() throws Exception {
    Command c = ContainerCodec.decodeCommand(hex("10000000 0100 0210 00000000 01000000"));
    assertEquals(0x1002, c.code());
    assertEquals(0, c.transactionId());
    assertEquals(1, c.paramCount());
    assertEquals(1, c.param(0));
    assertEquals(0, c.param(3));
  }

  @Test
  void commandRoundTripWithFiveParameters() throws Exception {
    ByteBuf out = Unpooled.buffer();
    ContainerCodec.encodeCommand(new Command(0x9805, 42, 1, 0, -1, 0, 1), out);
    assertEquals(ContainerCodec.MAX_PARAM_CONTAINER, out.readableBytes());
    assertEquals("20000000" + "0100" + "0598" + "2a000000", ByteBufUtil.hexDump(out, 0, 12));
    Command back = ContainerCodec.decodeCommand(out);
    assertEquals(0x9805, back.code());
    assertEquals(42, back.transactionId());
    assertArrayEquals(new int[] {1, 0, -1, 0, 1}, back.params());
  }

  @Test
  void responseKnownBytes() throws Exception {
    ByteBuf out = Unpooled.buffer();
    ContainerCodec.encodeResponse(new Response(0x2001, 3, 0x00010001, 0xFFFFFFFF, 9), out);
    assertEquals("18000000" + "0300" + "0120" + "03000000" + "01000100" + "ffffffff" + "09000000", ByteBufUtil.hexDump(out));
    Response r = ContainerCodec.decodeResponse(out);
    assertEquals(0x2001, r.code());
    assertArrayEquals(new int[] {0x00010001, -1, 9}, r.params());
  }

  @Test
  void eventPaddedToThePacketSizeIsAccepted() throws Exception {
    ByteBuf out = Unpooled.buffer();
    ContainerCodec.encodeEvent(new Event(0x4002, 0, 0x1234), out);
    assertEquals("10000000" + "0400" + "0240" + "00000000" + "34120000", ByteBufUtil.hexDump(out));
    out.writeZero(48);
    Event e = ContainerCodec.decodeEvent(out);
    assertEquals(0x4002, e.code());
    assertArrayEquals(new int[] {0x1234}, e.params());
  }

  @Test
  void rejectsTheWrongContainerType() {
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeCommand(hex("0c000000 0300 0120 00000000")));
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeResponse(hex("0c000000 0100 0110 00000000")));
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeEvent(hex("0c000000 0200 0240 00000000")));
  }

  @Test
  void rejectsBrokenParameterPayloads() {
    // not whole parameters
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeCommand(hex("0e000000 0100 0110 00000000 0000")));
    // six parameters
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeCommand(hex("24000000 0100 0110 00000000" + " 00000000".repeat(6))));
    // four event parameters
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeEvent(hex("1c000000 0400 0240 00000000" + " 00000000".repeat(4))));
    // declares more than arrived
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeCommand(hex("14000000 0100 0110 00000000 01000000")));
    // unknown length is only for data containers
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeCommand(hex("ffffffff 0100 0110 00000000")));
    // huge declared length
    assertThrows(MalformedContainerException.class, () -> ContainerCodec.decodeCommand(hex("fffffffe 0100 0110 00000000")));
  }

  @Test
  void transportRecordsLimitParameters() {
    assertThrows(IllegalArgumentException.class, () -> new Command(0x1001, 1, 1, 2, 3, 4, 5, 6));
    assertThrows(IllegalArgumentException.class, () -> new Event(0x4002, 1, 1, 2, 3, 4));
  }
}
