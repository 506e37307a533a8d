package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Small data phases (datasets) in and out of a handler. Objects never go through here. */
final class DataPhases {
  /** The largest dataset the host may send (ObjectInfo, a property value, a property list). */
  static final int MAX_DATASET = 16 * 1024 * 1024;

  private DataPhases() {}

  /** Sends {@code buf} as the whole data phase and releases it. */
  static void send(OperationContext ctx, ByteBuf buf) throws IOException {
    try {
      DataOut out = ctx.sendData(buf.readableBytes());
      ByteBuffer nio = buf.nioBuffer();
      while (nio.hasRemaining()) out.write(nio);
      out.close();
    } finally {
      buf.release();
    }
  }

  /**
   * A little-endian heap buffer for building a dataset: a plain array, not one of netty's pooled
   * arenas, whose first 4 MiB chunk stayed resident for the life of the device for the sake of
   * datasets of a few hundred bytes.
   */
  static ByteBuf buffer(int initial) { return Unpooled.buffer(initial); }

  /**
   * Reads the host's whole data phase (a dataset). The buffer grows with what actually arrives, so
   * a lying length cannot make us allocate; more than {@code max} bytes is refused.
   */
  static ByteBuf receive(OperationContext ctx, int max) throws IOException {
    DataIn in = ctx.receiveData();
    long announced = in.length();
    if (announced > max) {
      in.close();
      throw new MtpOperationException(ResponseCode.INVALID_DATASET.value(), "dataset of " + announced + " bytes is larger than " + max);
    }
    ByteBuf buf = Unpooled.buffer((int) Math.min(Math.max(announced, 64), 64 * 1024));
    try {
      ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
      while (true) {
        chunk.clear();
        int n = in.read(chunk);
        if (n < 0) break;
        if (buf.readableBytes() + n > max) {
          in.close();
          throw new MtpOperationException(ResponseCode.INVALID_DATASET.value(), "dataset larger than " + max + " bytes");
        }
        chunk.flip();
        buf.writeBytes(chunk);
      }
      in.close();
      return buf;
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  static MtpOperationException invalidParameter(String why) {
    return new MtpOperationException(ResponseCode.INVALID_PARAMETER.value(), why);
  }
}
