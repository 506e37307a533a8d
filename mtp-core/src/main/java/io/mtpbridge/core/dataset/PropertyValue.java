package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed property value: what DevicePropDesc, ObjectPropDesc, ObjectPropList and the
 * Get/Set*PropValue data phases carry. One shape per family of data types:
 * {@link Int} for INT8..UINT64, {@link Int128} for INT128/UINT128, {@link Str} for STR and
 * {@link Array} for every array type. Values are checked against their type's range when created,
 * so an encoded value always reads back equal.
 */
public sealed interface PropertyValue permits PropertyValue.Int, PropertyValue.Int128, PropertyValue.Str, PropertyValue.Array {

  DataType type();

  /** Bytes {@link #encode} writes. */
  int encodedLength();

  void encode(ByteBuf out);

  // ---- factories ----------------------------------------------------------------------------

  static Int int8(int v) { return new Int(DataType.INT8, v); }

  static Int uint8(int v) { return new Int(DataType.UINT8, v); }

  static Int int16(int v) { return new Int(DataType.INT16, v); }

  static Int uint16(int v) { return new Int(DataType.UINT16, v); }

  static Int int32(int v) { return new Int(DataType.INT32, v); }

  /** A UINT32 from its value (0..4294967295). */
  static Int uint32(long v) { return new Int(DataType.UINT32, v); }

  /** A UINT32 from its raw 32 bits (handles, storage ids). */
  static Int uint32Bits(int bits) { return new Int(DataType.UINT32, bits & 0xFFFFFFFFL); }

  static Int int64(long v) { return new Int(DataType.INT64, v); }

  /** A UINT64 from its raw 64 bits (values above Long.MAX_VALUE are negative longs). */
  static Int uint64(long bits) { return new Int(DataType.UINT64, bits); }

  static Int128 int128(long low, long high) { return new Int128(DataType.INT128, low, high); }

  static Int128 uint128(long low, long high) { return new Int128(DataType.UINT128, low, high); }

  static Str str(String s) { return new Str(s); }

  /** An array of {@code type} (an array type) from the elements' values, each checked for range. */
  static Array array(DataType type, long... values) { return new Array(type, values.clone()); }

  /**
   * An MTP "long string" (Description, Lyrics, ...): AUINT16 of the string's UTF-16 units, no NUL,
   * so it is not bound by the 254-unit limit of STR.
   */
  static Array longString(String s) {
    long[] units = new long[s.length()];
    for (int i = 0; i < units.length; i++) units[i] = s.charAt(i);
    return new Array(DataType.AUINT16, units);
  }

  /** A zero of {@code type}: 0, the empty string or the empty array. Used as a neutral default. */
  static PropertyValue zero(DataType type) {
    if (type == DataType.STR) return new Str("");
    if (type.isArray()) return new Array(type, new long[0]);
    if (type == DataType.INT128 || type == DataType.UINT128) return new Int128(type, 0, 0);
    return new Int(type, 0);
  }

  // ---- decoding -----------------------------------------------------------------------------

  /**
   * Reads a value of {@code type}. Truncation is {@link ResponseCode#INVALID_DATASET}, an invalid
   * string {@link ResponseCode#INVALID_OBJECT_PROP_VALUE}; UNDEF is not a value type and is
   * {@link ResponseCode#INVALID_OBJECT_PROP_FORMAT}. Callers re-label with
   * {@link MalformedDatasetException#withCode} for device properties.
   */
  static PropertyValue decode(ByteBuf in, DataType type) throws MalformedDatasetException {
    Objects.requireNonNull(type, "type");
    if (type == DataType.STR) {
      return new Str(PtpString.decode(in, ResponseCode.INVALID_OBJECT_PROP_VALUE));
    }
    if (type == DataType.UNDEF) {
      throw new MalformedDatasetException(ResponseCode.INVALID_OBJECT_PROP_FORMAT, "UNDEF is not a value data type");
    }
    if (type.isArray()) {
      DataType element = type.elementType();
      int count = Wire.arrayCount(in, element.size(), type.wireName());
      int wordsPer = element.size() == 16 ? 2 : 1;
      long[] values = new long[count * wordsPer];
      for (int i = 0; i < count; i++) {
        if (wordsPer == 2) {
          values[2 * i] = in.readLongLE();
          values[2 * i + 1] = in.readLongLE();
        } else {
          values[i] = readScalar(in, element);
        }
      }
      return new Array(type, values);
    }
    Wire.need(in, type.size(), type.wireName() + " value");
    if (type.size() == 16) {
      long low = in.readLongLE();
      long high = in.readLongLE();
      return new Int128(type, low, high);
    }
    return new Int(type, readScalar(in, type));
  }

  /** Reads a scalar of at most 64 bits whose bytes are known to be readable. */
  private static long readScalar(ByteBuf in, DataType t) {
    return switch (t) {
      case INT8 -> in.readByte();
      case UINT8 -> in.readUnsignedByte();
      case INT16 -> in.readShortLE();
      case UINT16 -> in.readUnsignedShortLE();
      case INT32 -> in.readIntLE();
      case UINT32 -> in.readUnsignedIntLE();
      case INT64, UINT64 -> in.readLongLE();
      default -> throw new IllegalArgumentException(t + " is not a scalar of at most 64 bits");
    };
  }

  private static void writeScalar(ByteBuf out, DataType t, long v) {
    switch (t.size()) {
      case 1 -> out.writeByte((int) v);
      case 2 -> out.writeShortLE((int) v);
      case 4 -> out.writeIntLE((int) v);
      case 8 -> out.writeLongLE(v);
      default -> throw new IllegalArgumentException(t + " is not a scalar of at most 64 bits");
    }
  }

  private static void checkRange(DataType t, long v) {
    boolean ok = switch (t) {
      case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
      case UINT8 -> v >= 0 && v <= 0xFF;
      case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
      case UINT16 -> v >= 0 && v <= 0xFFFF;
      case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
      case UINT32 -> v >= 0 && v <= 0xFFFFFFFFL;
      case INT64, UINT64 -> true;
      default -> throw new IllegalArgumentException(t + " is not an integer type of at most 64 bits");
    };
    if (!ok) throw new IllegalArgumentException(v + " is out of range for " + t);
  }

  // ---- shapes -------------------------------------------------------------------------------

  /** INT8..UINT64. UINT64 holds its raw bits; every other type holds its exact value. */
  record Int(DataType type, long value) implements PropertyValue {
    public Int {
      Objects.requireNonNull(type, "type");
      checkRange(type, value);
    }

    /** The value as an int; for UINT32 the raw 32 bits. */
    public int intValue() { return (int) value; }

    @Override
    public int encodedLength() { return type.size(); }

    @Override
    public void encode(ByteBuf out) { writeScalar(out, type, value); }

    @Override
    public String toString() {
      return type == DataType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
    }
  }

  /** INT128 / UINT128 as two 64-bit halves (little-endian on the wire: low half first). */
  record Int128(DataType type, long low, long high) implements PropertyValue {
    public Int128 {
      if (type != DataType.INT128 && type != DataType.UINT128) throw new IllegalArgumentException(type + " is not a 128-bit type");
    }

    public BigInteger toBigInteger() {
      BigInteger v = new BigInteger(Long.toUnsignedString(high)).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(low)));
      return type == DataType.INT128 && high < 0 ? v.subtract(BigInteger.ONE.shiftLeft(128)) : v;
    }

    @Override
    public int encodedLength() { return 16; }

    @Override
    public void encode(ByteBuf out) {
      out.writeLongLE(low);
      out.writeLongLE(high);
    }

    @Override
    public String toString() { return String.format("0x%016X%016X", high, low); }
  }

  /** STR: a PTP string (see {@link PtpString} for limits). */
  record Str(String value) implements PropertyValue {
    public Str {
      if (!PtpString.isEncodable(value)) {
        throw new IllegalArgumentException("not encodable as a PTP string (" + value.length() + " units)");
      }
    }

    @Override
    public DataType type() { return DataType.STR; }

    @Override
    public int encodedLength() { return PtpString.encodedLength(value); }

    @Override
    public void encode(ByteBuf out) { PtpString.encode(value, out); }

    @Override
    public String toString() { return '"' + value + '"'; }
  }

  /**
   * An array type. Elements are held as longs (as {@link Int#value}); 128-bit elements take two
   * consecutive longs, low half first.
   */
  final class Array implements PropertyValue {
    private final DataType type;
    private final long[] words;

    Array(DataType type, long[] words) {
      if (!type.isArray()) throw new IllegalArgumentException(type + " is not an array type");
      DataType element = type.elementType();
      if (element.size() == 16) {
        if (words.length % 2 != 0) throw new IllegalArgumentException("128-bit array needs an even number of longs");
      } else {
        for (long w : words) checkRange(element, w);
      }
      this.type = type;
      this.words = words;
    }

    @Override
    public DataType type() { return type; }

    /** Number of elements. */
    public int length() { return type.elementType().size() == 16 ? words.length / 2 : words.length; }

    /** Element {@code i} as a scalar value. */
    public PropertyValue get(int i) {
      DataType element = type.elementType();
      if (element.size() == 16) return new Int128(element, words[2 * i], words[2 * i + 1]);
      return new Int(element, words[i]);
    }

    /**
     * The AUINT16 array as a long string (see {@link PropertyValue#longString}); a trailing NUL, as
     * some initiators send, is dropped.
     */
    public String asLongString() {
      if (type != DataType.AUINT16) throw new IllegalStateException(type + " is not a long string");
      int n = words.length;
      if (n > 0 && words[n - 1] == 0) n--;
      char[] chars = new char[n];
      for (int i = 0; i < n; i++) chars[i] = (char) words[i];
      return new String(chars);
    }

    /** A copy of the element longs (two per element for 128-bit types). */
    public long[] toLongArray() { return words.clone(); }

    @Override
    public int encodedLength() { return 4 + length() * type.elementType().size(); }

    @Override
    public void encode(ByteBuf out) {
      DataType element = type.elementType();
      out.ensureWritable(encodedLength());
      out.writeIntLE(length());
      if (element.size() == 16) {
        for (long w : words) out.writeLongLE(w);
      } else {
        for (long w : words) writeScalar(out, element, w);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Array a && a.type == type && Arrays.equals(a.words, words);
    }

    @Override
    public int hashCode() { return type.hashCode() * 31 + Arrays.hashCode(words); }

    @Override
    public String toString() {
      return type + (words.length <= 16 ? Arrays.toString(words) : "[" + length() + " elements]");
    }
  }
}
