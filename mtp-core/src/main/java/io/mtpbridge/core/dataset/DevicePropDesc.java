package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.DevicePropertyCode;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The DevicePropDesc dataset (GetDevicePropDesc): property code, data type, get/set flag, factory
 * default and current value, and a form (none, range or enumeration).
 *
 * @param propertyCode the 16-bit device property code (vendor codes allowed)
 * @param writable true when the host may set the value (GetSet = 1)
 */
public record DevicePropDesc(int propertyCode, DataType dataType, boolean writable,
    PropertyValue factoryDefault, PropertyValue current, PropertyForm form) {

  public DevicePropDesc {
    if ((propertyCode & ~0xFFFF) != 0) throw new IllegalArgumentException("property code is not 16-bit: " + propertyCode);
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(form, "form");
    if (dataType == DataType.UNDEF) throw new IllegalArgumentException("UNDEF is not a property data type");
    if (factoryDefault.type() != dataType || current.type() != dataType) {
      throw new IllegalArgumentException("values of " + DevicePropertyCode.nameOf(propertyCode) + " must be " + dataType);
    }
    if (!(form instanceof PropertyForm.None || form instanceof PropertyForm.Range || form instanceof PropertyForm.Enumeration)) {
      throw new IllegalArgumentException("device properties take no " + form.formType() + " form");
    }
    form.checkFits(dataType);
  }

  public int encodedLength() {
    return 5 + factoryDefault.encodedLength() + current.encodedLength() + form.encodedLength();
  }

  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    out.writeShortLE(propertyCode);
    out.writeShortLE(dataType.value());
    out.writeByte(writable ? 1 : 0);
    factoryDefault.encode(out);
    current.encode(out);
    form.encode(out);
  }

  public static DevicePropDesc decode(ByteBuf in) throws MalformedDatasetException {
    int code = Wire.u16(in, "DevicePropDesc property code");
    DataType type = Descs.dataType(Wire.u16(in, "DevicePropDesc data type"));
    boolean writable = Descs.getSet(Wire.u8(in, "DevicePropDesc GetSet"));
    PropertyValue factory = PropertyValue.decode(in, type);
    PropertyValue current = PropertyValue.decode(in, type);
    PropertyForm form = PropertyForm.decode(in, type, false);
    return new DevicePropDesc(code, type, writable, factory, current, form);
  }
}
