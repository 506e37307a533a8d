package io.mtpbridge.core.code;

/**
 * PTP data type codes (used in property descriptions and ObjectPropList elements). Scalar types
 * have a fixed size; array types are a UINT32 count followed by that many elements of the
 * element type; {@link #STR} is a PTP string (count byte, UCS-2LE units including NUL).
 */
public enum DataType {
  UNDEF(0x0000, "UNDEF", 0),
  INT8(0x0001, "INT8", 1),
  UINT8(0x0002, "UINT8", 1),
  INT16(0x0003, "INT16", 2),
  UINT16(0x0004, "UINT16", 2),
  INT32(0x0005, "INT32", 4),
  UINT32(0x0006, "UINT32", 4),
  INT64(0x0007, "INT64", 8),
  UINT64(0x0008, "UINT64", 8),
  INT128(0x0009, "INT128", 16),
  UINT128(0x000A, "UINT128", 16),
  AINT8(0x4001, "AINT8", -1),
  AUINT8(0x4002, "AUINT8", -1),
  AINT16(0x4003, "AINT16", -1),
  AUINT16(0x4004, "AUINT16", -1),
  AINT32(0x4005, "AINT32", -1),
  AUINT32(0x4006, "AUINT32", -1),
  AINT64(0x4007, "AINT64", -1),
  AUINT64(0x4008, "AUINT64", -1),
  AINT128(0x4009, "AINT128", -1),
  AUINT128(0x400A, "AUINT128", -1),
  STR(0xFFFF, "STR", -1);

  /** The bit that turns a scalar type code into the code of an array of it. */
  public static final int ARRAY_BIT = 0x4000;

  private static final CodeTable<DataType> TABLE = new CodeTable<>(values(), DataType::value);

  private final int value;
  private final String wireName;
  private final int size;

  DataType(int value, String wireName, int size) {
    this.value = value;
    this.wireName = wireName;
    this.size = size;
  }

  public int value() { return value; }

  public String wireName() { return wireName; }

  /** Bytes of one value of a scalar type; -1 for arrays and strings, whose size is in the data. */
  public int size() { return size; }

  public boolean isArray() { return (value & 0xF000) == ARRAY_BIT; }

  public boolean isScalar() { return size > 0; }

  /** True for INT8..INT128 (and their arrays' elements): the value is two's complement. */
  public boolean isSigned() {
    int base = value & ~ARRAY_BIT;
    return base >= 1 && base <= 10 && (base & 1) == 1;
  }

  /** The element type of an array type (AUINT16 -> UINT16); the type itself for scalars and STR. */
  public DataType elementType() { return isArray() ? of(value & ~ARRAY_BIT) : this; }

  /** The array type whose elements are this scalar type (UINT16 -> AUINT16). */
  public DataType arrayType() {
    if (!isScalar()) throw new IllegalArgumentException(this + " has no array type");
    return of(value | ARRAY_BIT);
  }

  public static DataType of(int value) { return TABLE.of(value); }

  public static String nameOf(int value) {
    DataType t = of(value);
    return t != null ? t.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
