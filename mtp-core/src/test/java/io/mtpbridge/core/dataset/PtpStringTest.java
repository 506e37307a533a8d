package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class PtpStringTest {
  @Test
  void emptyStringIsOneZeroByte() throws Exception {
    assertArrayEquals(new byte[] {0}, Buffers.bytes(b -> PtpString.encode("", b)));
    assertEquals("", PtpString.decode(Buffers.hex("00")));
    assertEquals(1, PtpString.encodedLength(""));
  }

  @Test
  void knownBytes() throws Exception {
    // "Ab": count 3 (two chars + NUL), UCS-2LE
    assertArrayEquals(new byte[] {3, 'A', 0, 'b', 0, 0, 0}, Buffers.bytes(b -> PtpString.encode("Ab", b)));
    assertEquals("Ab", PtpString.decode(Buffers.hex("03 4100 6200 0000")));
  }

  @Test
  void countOfOneIsEmptyString() throws Exception {
    assertEquals("", PtpString.decode(Buffers.hex("01 0000")));
  }

  @Test
  void surrogatePairsAreKept() throws Exception {
    String s = "x\uD83D\uDE00y"; // x 😀 y
    ByteBuf buf = Buffers.encode(b -> PtpString.encode(s, b));
    assertEquals(5, buf.getUnsignedByte(0));
    assertEquals(s, PtpString.decode(buf));
  }

  @Test
  void longestStringRoundTrips() throws Exception {
    String s = "n".repeat(PtpString.MAX_CHARS);
    ByteBuf buf = Buffers.encode(b -> PtpString.encode(s, b));
    assertEquals(255, buf.getUnsignedByte(0));
    assertEquals(1 + 255 * 2, buf.readableBytes());
    assertEquals(s, PtpString.decode(buf));
  }

  @Test
  void tooLongStringIsRejectedOnEncode() {
    String s = "n".repeat(PtpString.MAX_CHARS + 1);
    assertFalse(PtpString.isEncodable(s));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PtpString.encode(s, Buffers.encode(b -> {})));
    assertTrue(e.getMessage().contains("255") || e.getMessage().contains("254"), e.getMessage());
  }

  @Test
  void unrepresentableStringsAreRejectedOnEncode() {
    assertThrows(IllegalArgumentException.class, () -> PtpString.encode("a\0b", Buffers.encode(b -> {})));
    assertThrows(IllegalArgumentException.class, () -> PtpString.encode("a\uD800", Buffers.encode(b -> {})));
    assertThrows(IllegalArgumentException.class, () -> PtpString.encode("\uDC00a", Buffers.encode(b -> {})));
  }

  @Test
  void countBeyondReadableIsMalformed() {
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("05 4100 4200")));
    assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
    assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("")));
  }

  @Test
  void missingNulIsMalformed() {
    assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("02 4100 4200")));
  }

  @Test
  void embeddedNulIsMalformed() {
    assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("03 0000 4100 0000")));
  }

  @Test
  void unpairedSurrogatesAreMalformed() {
    assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("02 00D8 0000")));
    assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("03 00DC 00D8 0000")));
    assertThrows(MalformedDatasetException.class, () -> PtpString.decode(Buffers.hex("03 00D8 4100 0000")));
  }

  @Test
  void readsOnlyItsOwnBytes() throws Exception {
    ByteBuf buf = Buffers.hex("02 4100 0000 FF");
    assertEquals("A", PtpString.decode(buf));
    assertEquals(1, buf.readableBytes());
  }

  @net.jqwik.api.Property(tries = 500)
  void everyStringRoundTripsOrIsRefusedWritingNothing(@net.jqwik.api.ForAll @net.jqwik.api.constraints.StringLength(max = 300) String s) throws Exception {
    io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
    buf.writeByte(0x7F);
    try {
      PtpString.encode(s, buf);
    } catch (IllegalArgumentException refused) {
      org.junit.jupiter.api.Assertions.assertFalse(PtpString.isEncodable(s), s);
      org.junit.jupiter.api.Assertions.assertEquals(1, buf.writerIndex(), "a refused string writes nothing");
      return;
    }
    org.junit.jupiter.api.Assertions.assertTrue(PtpString.isEncodable(s), s);
    org.junit.jupiter.api.Assertions.assertEquals(1 + PtpString.encodedLength(s), buf.writerIndex());
    buf.readByte();
    org.junit.jupiter.api.Assertions.assertEquals(s, PtpString.decode(buf));
  }
}
