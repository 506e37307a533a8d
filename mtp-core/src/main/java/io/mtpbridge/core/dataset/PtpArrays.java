package io.mtpbridge.core.dataset;

import io.netty.buffer.ByteBuf;

/**
 * PTP arrays of UINT16 and UINT32: a UINT32 element count, then the elements little-endian. The
 * count from the host is checked against the bytes that arrived before anything is allocated.
 * Values are returned as raw bits in an {@code int[]} (handles and codes are compared, not
 * summed). Arrays of the other data types go through {@link PropertyValue}.
 */
public final class PtpArrays {
  private PtpArrays() {}

  public static int[] readUint16Array(ByteBuf in) throws MalformedDatasetException {
    int count = Wire.arrayCount(in, 2, "UINT16 array");
    int[] values = new int[count];
    for (int i = 0; i < count; i++) values[i] = in.readUnsignedShortLE();
    return values;
  }

  public static int[] readUint32Array(ByteBuf in) throws MalformedDatasetException {
    int count = Wire.arrayCount(in, 4, "UINT32 array");
    int[] values = new int[count];
    for (int i = 0; i < count; i++) values[i] = in.readIntLE();
    return values;
  }

  public static void writeUint16Array(int[] values, ByteBuf out) {
    out.ensureWritable(4 + 2 * values.length);
    out.writeIntLE(values.length);
    for (int v : values) {
      if ((v & ~0xFFFF) != 0) throw new IllegalArgumentException("UINT16 array element out of range: " + v);
      out.writeShortLE(v);
    }
  }

  public static void writeUint32Array(int[] values, ByteBuf out) {
    out.ensureWritable(4 + 4 * values.length);
    out.writeIntLE(values.length);
    for (int v : values) out.writeIntLE(v);
  }

  /** Bytes a UINT16 array of {@code n} elements takes. */
  public static int uint16ArrayLength(int n) { return 4 + 2 * n; }

  /** Bytes a UINT32 array of {@code n} elements takes. */
  public static int uint32ArrayLength(int n) { return 4 + 4 * n; }
}
