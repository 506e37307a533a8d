package io.mtpbridge.core.property;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.dataset.PropertyValue;
import java.io.IOException;

/**
 * A device property the host can read (and perhaps set). Registering one makes it appear in
 * DeviceInfo's DevicePropertiesSupported.
 */
public interface DeviceProperty {

  /** The 16-bit device property code. */
  int code();

  DataType dataType();

  /** True when the host may set (and reset) it. */
  boolean writable();

  PropertyValue defaultValue();

  PropertyValue value() throws IOException;

  /**
   * Sets the value the host sent (already decoded as {@link #dataType()}). Refuse an unacceptable
   * value with {@link io.mtpbridge.core.responder.MtpOperationException} InvalidDevicePropValue.
   */
  void set(PropertyValue value) throws IOException;

  /** Back to {@link #defaultValue()}. */
  default void reset() throws IOException { set(defaultValue()); }
}
