package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ObjectPropList dataset: a UINT32 element count, then per element the object handle (UINT32),
 * property code (UINT16), data type (UINT16) and the value. GetObjectPropList sends it;
 * SetObjectPropList and SendObjectPropList receive it (with handle 0 in the latter).
 *
 * <p>A responder with many objects should not build one list: it can stream with
 * {@link #writeCount} followed by {@link Element#encode} per element into a bounded buffer.
 *
 * <p>Decoding checks the count against the bytes that arrived (every element takes at least 9)
 * before allocating; an unknown data type is {@code InvalidObjectPropFormat}. Whether a property
 * code is supported, and whether its data type is the expected one, is the handler's decision
 * ({@link Element#hasStandardType()} helps).
 */
public record ObjectPropList(List<Element> elements) {
  /** Smallest element: handle, code, type and a one-byte value. */
  private static final int MIN_ELEMENT_LENGTH = 9;

  public ObjectPropList {
    elements = List.copyOf(elements);
  }

  /** One property value of one object. */
  public record Element(int objectHandle, int propertyCode, PropertyValue value) {
    public Element {
      Fields.u16(propertyCode, "property code");
      Objects.requireNonNull(value, "value");
    }

    public DataType dataType() { return value.type(); }

    /** True unless the code is a known MTP property whose standard data type differs from this value's. */
    public boolean hasStandardType() {
      ObjectPropertyCode known = ObjectPropertyCode.of(propertyCode);
      return known == null || known.dataType() == value.type();
    }

    public int encodedLength() { return 8 + value.encodedLength(); }

    public void encode(ByteBuf out) {
      out.ensureWritable(encodedLength());
      writeElementHeader(objectHandle, propertyCode, value.type(), out);
      value.encode(out);
    }

    public static Element decode(ByteBuf in) throws MalformedDatasetException {
      Wire.need(in, MIN_ELEMENT_LENGTH, "ObjectPropList element");
      int handle = in.readIntLE();
      int code = in.readUnsignedShortLE();
      int typeCode = in.readUnsignedShortLE();
      DataType type = DataType.of(typeCode);
      if (type == null || type == DataType.UNDEF) {
        throw new MalformedDatasetException(ResponseCode.INVALID_OBJECT_PROP_FORMAT,
            "ObjectPropList element for " + ObjectPropertyCode.nameOf(code) + " has unknown data type " + DataType.nameOf(typeCode));
      }
      return new Element(handle, code, PropertyValue.decode(in, type));
    }
  }

  /**
   * Writes what starts an element, the object handle, property code and data type (8 bytes), for a
   * streamed encoder that writes the value itself next (see {@link io.mtpbridge.core.property.ObjectProperty#writeElement}).
   */
  public static void writeElementHeader(int objectHandle, int propertyCode, DataType type, ByteBuf out) {
    // the three little-endian fields are one little-endian long: one buffer call instead of three
    out.writeLongLE((objectHandle & 0xFFFFFFFFL) | (long) (propertyCode & 0xFFFF) << 32 | (long) type.value() << 48);
  }

  /** Writes the element count that starts the dataset (for streamed encoding). */
  public static void writeCount(long count, ByteBuf out) {
    Fields.u32(count, "ObjectPropList count");
    out.writeIntLE((int) count);
  }

  public int encodedLength() {
    int n = 4;
    for (Element e : elements) n += e.encodedLength();
    return n;
  }

  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    writeCount(elements.size(), out);
    for (Element e : elements) e.encode(out);
  }

  public static ObjectPropList decode(ByteBuf in) throws MalformedDatasetException {
    int count = Wire.arrayCount(in, MIN_ELEMENT_LENGTH, "ObjectPropList");
    List<Element> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) elements.add(Element.decode(in));
    return new ObjectPropList(elements);
  }
}
