package io.mtpbridge.core.dataset;

import java.util.Objects;

/** Argument checks for dataset constructors: out-of-range fields are programming errors. */
final class Fields {
  private Fields() {}

  static void u16(int v, String name) {
    if ((v & ~0xFFFF) != 0) throw new IllegalArgumentException(name + " is not a UINT16: " + v);
  }

  static void u32(long v, String name) {
    if (v < 0 || v > 0xFFFFFFFFL) throw new IllegalArgumentException(name + " is not a UINT32: " + v);
  }

  static int[] u16s(int[] values, String name) {
    Objects.requireNonNull(values, name);
    for (int v : values) u16(v, name + " element");
    return values.clone();
  }

  static void str(String s, String name) {
    Objects.requireNonNull(s, name);
    if (!PtpString.isEncodable(s)) throw new IllegalArgumentException(name + " is not encodable as a PTP string");
  }
}
