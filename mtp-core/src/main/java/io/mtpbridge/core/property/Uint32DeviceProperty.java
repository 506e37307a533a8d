package io.mtpbridge.core.property;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.MtpOperationException;

/** A read-only UINT32 device property with a fixed value (PerceivedDeviceType). */
public final class Uint32DeviceProperty implements DeviceProperty {
  private final int code;
  private final long value;

  public Uint32DeviceProperty(int code, long value) {
    if (value < 0 || value > 0xFFFFFFFFL) throw new IllegalArgumentException("not a UINT32: " + value);
    this.code = code;
    this.value = value;
  }

  @Override public int code() { return code; }
  @Override public DataType dataType() { return DataType.UINT32; }
  @Override public boolean writable() { return false; }
  @Override public PropertyValue defaultValue() { return PropertyValue.uint32(value); }
  @Override public PropertyValue value() { return PropertyValue.uint32(value); }

  @Override
  public void set(PropertyValue v) throws MtpOperationException {
    throw new MtpOperationException(ResponseCode.ACCESS_DENIED.value(), "property is read-only");
  }
}
