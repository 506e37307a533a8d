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
  void heapAndDirectBuffersGetTheSameBytes() {
    // heap buffers are written through their array, others call by call: the bytes must agree
    String[] strings = {"", "A", "IMG_0001.jpg", "Ünïcödé 名前", "x\uD83D\uDE00y\uD834\uDD1E", "\uFFFD", "n".repeat(PtpString.MAX_CHARS)};
    for (String s : strings) {
      ByteBuf heap = io.netty.buffer.Unpooled.buffer(3).writeByte(0x55);
      ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(3).writeByte(0x55);
      ByteBuf slice = io.netty.buffer.Unpooled.buffer(2048).writerIndex(100).slice(50, 1000).writerIndex(7);
      PtpString.encode(s, heap);
      PtpString.encode(s, direct);
      PtpString.encode(s, slice);
      byte[] h = io.netty.buffer.ByteBufUtil.getBytes(heap, 1, heap.readableBytes() - 1);
      assertArrayEquals(h, io.netty.buffer.ByteBufUtil.getBytes(direct, 1, direct.readableBytes() - 1), s);
      assertArrayEquals(h, io.netty.buffer.ByteBufUtil.getBytes(slice, 7, slice.readableBytes() - 7), s);
      assertEquals(PtpString.encodedLength(s), h.length, s);
      heap.release();
      direct.release();
    }
  }

  @Test
  void aRefusedStringWritesNothingIntoEitherKindOfBuffer() {
    for (String s : new String[] {"a\0b", "x\uD83D", "\uDE00y", "ab\uD83D\uD83D\uDE00"}) {
      for (ByteBuf b : new ByteBuf[] {io.netty.buffer.Unpooled.buffer(4).writeByte(1), io.netty.buffer.Unpooled.directBuffer(4).writeByte(1)}) {
        assertThrows(IllegalArgumentException.class, () -> PtpString.encode(s, b), s);
        assertEquals(1, b.writerIndex(), "nothing written for " + s);
        b.release();
      }
    }
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
