package io.mtpbridge.core.dataset;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/** Test helpers for building and reading little-endian buffers. */
final class Buffers {
  private Buffers() {}

  static ByteBuf encode(Consumer<ByteBuf> encoder) {
    ByteBuf buf = Unpooled.buffer();
    encoder.accept(buf);
    return buf;
  }

  static byte[] bytes(Consumer<ByteBuf> encoder) {
    return ByteBufUtil.getBytes(encode(encoder));
  }

  static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
  }
}
