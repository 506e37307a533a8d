package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The ObjectPropDesc dataset (GetObjectPropDesc): property code, data type, get/set flag, factory
 * default, group code and a form (any of the eight).
 *
 * @param propertyCode the 16-bit object property code (vendor codes allowed)
 * @param writable true when the host may set the value (GetSet = 1)
 * @param groupCode the group for GetObjectPropList by group, 0 for none
 */
public record ObjectPropDesc(int propertyCode, DataType dataType, boolean writable,
    PropertyValue factoryDefault, int groupCode, PropertyForm form) {

  public ObjectPropDesc {
    if ((propertyCode & ~0xFFFF) != 0) throw new IllegalArgumentException("property code is not 16-bit: " + propertyCode);
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(form, "form");
    if (dataType == DataType.UNDEF) throw new IllegalArgumentException("UNDEF is not a property data type");
    if (factoryDefault.type() != dataType) {
      throw new IllegalArgumentException("default of " + ObjectPropertyCode.nameOf(propertyCode) + " must be " + dataType);
    }
    form.checkFits(dataType);
  }

  /** A descriptor for a known property with its standard data type and the type's zero as default. */
  public static ObjectPropDesc of(ObjectPropertyCode code, boolean writable, PropertyForm form) {
    return new ObjectPropDesc(code.value(), code.dataType(), writable, PropertyValue.zero(code.dataType()), 0, form);
  }

  public int encodedLength() {
    return 9 + factoryDefault.encodedLength() + form.encodedLength();
  }

  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    out.writeShortLE(propertyCode);
    out.writeShortLE(dataType.value());
    out.writeByte(writable ? 1 : 0);
    factoryDefault.encode(out);
    out.writeIntLE(groupCode);
    form.encode(out);
  }

  public static ObjectPropDesc decode(ByteBuf in) throws MalformedDatasetException {
    int code = Wire.u16(in, "ObjectPropDesc property code");
    DataType type = Descs.dataType(Wire.u16(in, "ObjectPropDesc data type"));
    boolean writable = Descs.getSet(Wire.u8(in, "ObjectPropDesc GetSet"));
    PropertyValue factory = PropertyValue.decode(in, type);
    int group = Wire.u32(in, "ObjectPropDesc group code");
    PropertyForm form = PropertyForm.decode(in, type, true);
    return new ObjectPropDesc(code, type, writable, factory, group, form);
  }
}
