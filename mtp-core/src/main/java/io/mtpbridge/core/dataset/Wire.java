package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;

/**
 * Bounds-checked little-endian reads. Every read of host data goes through here, so a short buffer
 * becomes a {@link MalformedDatasetException}, never an IndexOutOfBoundsException.
 */
final class Wire {
  private Wire() {}

  static void need(ByteBuf in, long bytes, String what) throws MalformedDatasetException {
    if (bytes > in.readableBytes()) throw MalformedDatasetException.truncated(what, bytes, in.readableBytes());
  }

  static int u8(ByteBuf in, String what) throws MalformedDatasetException {
    need(in, 1, what);
    return in.readUnsignedByte();
  }

  static int u16(ByteBuf in, String what) throws MalformedDatasetException {
    need(in, 2, what);
    return in.readUnsignedShortLE();
  }

  /** A UINT32 as its raw 32 bits (handles, storage ids). */
  static int u32(ByteBuf in, String what) throws MalformedDatasetException {
    need(in, 4, what);
    return in.readIntLE();
  }

  /** A UINT32 as a non-negative long (sizes, counts). */
  static long u32AsLong(ByteBuf in, String what) throws MalformedDatasetException {
    need(in, 4, what);
    return in.readUnsignedIntLE();
  }

  static long u64(ByteBuf in, String what) throws MalformedDatasetException {
    need(in, 8, what);
    return in.readLongLE();
  }

  /**
   * Reads an array's UINT32 element count and checks that {@code count * elementSize} bytes are
   * readable, before any caller allocates room for the elements.
   */
  static int arrayCount(ByteBuf in, int elementSize, String what) throws MalformedDatasetException {
    long count = u32AsLong(in, what + " count");
    long bytes = count * elementSize;
    if (bytes > in.readableBytes()) {
      throw new MalformedDatasetException(ResponseCode.INVALID_DATASET,
          what + " declares " + count + " elements (" + bytes + " bytes), only " + in.readableBytes() + " bytes arrived");
    }
    return (int) count;
  }
}
