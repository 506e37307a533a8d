package io.mtpbridge.usb.mtp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds and parses containers the way a host would, independent of the code under test. */
public final class Containers {
  private Containers() {}

  public static byte[] command(int code, int tid, int... params) {
    ByteBuffer b = ByteBuffer.allocate(12 + 4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(12 + 4 * params.length).putShort((short) 1).putShort((short) code).putInt(tid);
    for (int p : params) b.putInt(p);
    return b.array();
  }

  public static byte[] dataHeader(long length, int code, int tid) {
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) length).putShort((short) 2).putShort((short) code).putInt(tid).array();
  }

  public static byte[] data(int code, int tid, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(dataHeader(12L + payload.length, code, tid)).put(payload);
    return b.array();
  }

  public static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed + (i >>> 8));
    return b;
  }

  public static int u32(byte[] b, int off) { return ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(); }

  public static int u16(byte[] b, int off) { return ByteBuffer.wrap(b, off, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF; }
}
