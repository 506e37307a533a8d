package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.PropertyFormType;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The form that ends a DevicePropDesc or ObjectPropDesc: the FormFlag byte and the fields that
 * belong to it. Device properties use {@link None}, {@link Range} and {@link Enumeration}; object
 * properties may use every form.
 *
 * <p>Layouts of the MTP-only forms as libgphoto2/libmtp read them: DateTime has no fields,
 * FixedLengthArray and ByteArray a UINT16 length, RegularExpression a PTP string. For LongString
 * libmtp reads no field; we write a UINT32 maximum length (in characters), which hosts that do
 * not read it simply ignore, since the form is the last field of the dataset.
 */
public sealed interface PropertyForm {

  PropertyFormType formType();

  /** Bytes {@link #encode} writes, form flag included. */
  int encodedLength();

  /** Writes the form flag and the form's fields. */
  void encode(ByteBuf out);

  /** Checks that the form's values fit properties of {@code type}; throws IllegalArgumentException. */
  default void checkFits(DataType type) {}

  /** No form: any value of the data type. */
  record None() implements PropertyForm {
    public static final None INSTANCE = new None();

    @Override
    public PropertyFormType formType() { return PropertyFormType.NONE; }

    @Override
    public int encodedLength() { return 1; }

    @Override
    public void encode(ByteBuf out) { out.writeByte(PropertyFormType.NONE.value()); }
  }

  /** Minimum, maximum and step, all of the property's data type. */
  record Range(PropertyValue minimum, PropertyValue maximum, PropertyValue step) implements PropertyForm {
    public Range {
      Objects.requireNonNull(minimum, "minimum");
      Objects.requireNonNull(maximum, "maximum");
      Objects.requireNonNull(step, "step");
    }

    @Override
    public PropertyFormType formType() { return PropertyFormType.RANGE; }

    @Override
    public int encodedLength() { return 1 + minimum.encodedLength() + maximum.encodedLength() + step.encodedLength(); }

    @Override
    public void encode(ByteBuf out) {
      out.writeByte(PropertyFormType.RANGE.value());
      minimum.encode(out);
      maximum.encode(out);
      step.encode(out);
    }

    @Override
    public void checkFits(DataType type) {
      if (minimum.type() != type || maximum.type() != type || step.type() != type) {
        throw new IllegalArgumentException("range values must be " + type);
      }
    }
  }

  /** The allowed values, at most 65535 (the count is a UINT16). */
  record Enumeration(List<PropertyValue> values) implements PropertyForm {
    public Enumeration {
      values = List.copyOf(values);
      if (values.size() > 0xFFFF) throw new IllegalArgumentException("enumeration of " + values.size() + " values exceeds 65535");
    }

    @Override
    public PropertyFormType formType() { return PropertyFormType.ENUMERATION; }

    @Override
    public int encodedLength() {
      int n = 3;
      for (PropertyValue v : values) n += v.encodedLength();
      return n;
    }

    @Override
    public void encode(ByteBuf out) {
      out.writeByte(PropertyFormType.ENUMERATION.value());
      out.writeShortLE(values.size());
      for (PropertyValue v : values) v.encode(out);
    }

    @Override
    public void checkFits(DataType type) {
      for (PropertyValue v : values) {
        if (v.type() != type) throw new IllegalArgumentException("enumeration value " + v + " is not " + type);
      }
    }
  }

  /** The STR property holds a DateTime string. */
  record DateTime() implements PropertyForm {
    public static final DateTime INSTANCE = new DateTime();

    @Override
    public PropertyFormType formType() { return PropertyFormType.DATE_TIME; }

    @Override
    public int encodedLength() { return 1; }

    @Override
    public void encode(ByteBuf out) { out.writeByte(PropertyFormType.DATE_TIME.value()); }

    @Override
    public void checkFits(DataType type) {
      if (type != DataType.STR) throw new IllegalArgumentException("DateTime form needs STR, not " + type);
    }
  }

  /** The array property always has {@code length} elements. */
  record FixedLengthArray(int length) implements PropertyForm {
    public FixedLengthArray {
      if (length < 0 || length > 0xFFFF) throw new IllegalArgumentException("fixed array length " + length + " is not a UINT16");
    }

    @Override
    public PropertyFormType formType() { return PropertyFormType.FIXED_LENGTH_ARRAY; }

    @Override
    public int encodedLength() { return 3; }

    @Override
    public void encode(ByteBuf out) {
      out.writeByte(PropertyFormType.FIXED_LENGTH_ARRAY.value());
      out.writeShortLE(length);
    }

    @Override
    public void checkFits(DataType type) {
      if (!type.isArray()) throw new IllegalArgumentException("fixed-length array form needs an array type, not " + type);
    }
  }

  /** The STR property must match {@code regex}. */
  record RegularExpression(String regex) implements PropertyForm {
    public RegularExpression {
      if (!PtpString.isEncodable(regex)) throw new IllegalArgumentException("regular expression is not encodable as a PTP string");
    }

    @Override
    public PropertyFormType formType() { return PropertyFormType.REGULAR_EXPRESSION; }

    @Override
    public int encodedLength() { return 1 + PtpString.encodedLength(regex); }

    @Override
    public void encode(ByteBuf out) {
      out.writeByte(PropertyFormType.REGULAR_EXPRESSION.value());
      PtpString.encode(regex, out);
    }

    @Override
    public void checkFits(DataType type) {
      if (type != DataType.STR) throw new IllegalArgumentException("regular expression form needs STR, not " + type);
    }
  }

  /** The AUINT8/AINT8 property is a byte string of at most {@code maxLength} bytes. */
  record ByteArray(int maxLength) implements PropertyForm {
    public ByteArray {
      if (maxLength < 0 || maxLength > 0xFFFF) throw new IllegalArgumentException("byte array max length " + maxLength + " is not a UINT16");
    }

    @Override
    public PropertyFormType formType() { return PropertyFormType.BYTE_ARRAY; }

    @Override
    public int encodedLength() { return 3; }

    @Override
    public void encode(ByteBuf out) {
      out.writeByte(PropertyFormType.BYTE_ARRAY.value());
      out.writeShortLE(maxLength);
    }

    @Override
    public void checkFits(DataType type) {
      if (type != DataType.AUINT8 && type != DataType.AINT8) throw new IllegalArgumentException("byte array form needs AUINT8/AINT8, not " + type);
    }
  }

  /** The AUINT16 property is a UTF-16 string of at most {@code maxLength} units. */
  record LongString(long maxLength) implements PropertyForm {
    public LongString {
      if (maxLength < 0 || maxLength > 0xFFFFFFFFL) throw new IllegalArgumentException("long string max length " + maxLength + " is not a UINT32");
    }

    @Override
    public PropertyFormType formType() { return PropertyFormType.LONG_STRING; }

    @Override
    public int encodedLength() { return 5; }

    @Override
    public void encode(ByteBuf out) {
      out.writeByte(PropertyFormType.LONG_STRING.value());
      out.writeIntLE((int) maxLength);
    }

    @Override
    public void checkFits(DataType type) {
      if (type != DataType.AUINT16) throw new IllegalArgumentException("long string form needs AUINT16, not " + type);
    }
  }

  /**
   * Reads a form flag and its fields for a property of {@code type}. {@code objectProperty} allows
   * the MTP-only forms; a device property with one of them, or an unknown flag, is malformed.
   */
  static PropertyForm decode(ByteBuf in, DataType type, boolean objectProperty) throws MalformedDatasetException {
    int flag = Wire.u8(in, "form flag");
    PropertyFormType form = PropertyFormType.of(flag);
    if (form == null) throw new MalformedDatasetException(ResponseCode.INVALID_DATASET, "unknown form flag " + flag);
    boolean deviceForm = form == PropertyFormType.NONE || form == PropertyFormType.RANGE || form == PropertyFormType.ENUMERATION;
    if (!objectProperty && !deviceForm) {
      throw new MalformedDatasetException(ResponseCode.INVALID_DATASET, "form " + form + " is not allowed for a device property");
    }
    PropertyForm result = switch (form) {
      case NONE -> None.INSTANCE;
      case RANGE -> new Range(PropertyValue.decode(in, type), PropertyValue.decode(in, type), PropertyValue.decode(in, type));
      case ENUMERATION -> decodeEnumeration(in, type);
      case DATE_TIME -> DateTime.INSTANCE;
      case FIXED_LENGTH_ARRAY -> new FixedLengthArray(Wire.u16(in, "fixed array length"));
      case REGULAR_EXPRESSION -> new RegularExpression(PtpString.decode(in));
      case BYTE_ARRAY -> new ByteArray(Wire.u16(in, "byte array max length"));
      case LONG_STRING -> new LongString(Wire.u32AsLong(in, "long string max length"));
    };
    try {
      result.checkFits(type);
    } catch (IllegalArgumentException e) {
      throw new MalformedDatasetException(ResponseCode.INVALID_DATASET, e.getMessage());
    }
    return result;
  }

  private static Enumeration decodeEnumeration(ByteBuf in, DataType type) throws MalformedDatasetException {
    int count = Wire.u16(in, "enumeration count");
    // the smallest encoding of one value bounds how many can have arrived
    int minSize = type.isScalar() ? type.size() : type == DataType.STR ? 1 : 4;
    Wire.need(in, (long) count * minSize, "enumeration of " + count + " " + type + " values");
    List<PropertyValue> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) values.add(PropertyValue.decode(in, type));
    return new Enumeration(values);
  }
}
