package io.mtpbridge.core.property;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.MtpOperationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** The device properties, by code: the single source of DeviceInfo's DevicePropertiesSupported. */
public final class DevicePropertyRegistry {
  private final Map<Integer, DeviceProperty> properties;
  private final IntConsumer changedOnDevice;

  private DevicePropertyRegistry(Map<Integer, DeviceProperty> properties, IntConsumer changedOnDevice) {
    this.properties = properties;
    this.changedOnDevice = changedOnDevice;
  }

  /** The property for {@code code}, or DevicePropNotSupported. */
  public DeviceProperty get(int code) throws MtpOperationException {
    DeviceProperty p = properties.get(code);
    if (p == null) throw new MtpOperationException(ResponseCode.DEVICE_PROP_NOT_SUPPORTED.value(), String.format("device property 0x%04X", code));
    return p;
  }

  public Collection<DeviceProperty> all() { return properties.values(); }

  public int[] codes() { return properties.keySet().stream().mapToInt(Integer::intValue).toArray(); }

  /**
   * Changes a property on the device side (configuration, a local UI) and tells the host with
   * DevicePropChanged.
   */
  public void setFromDevice(int code, PropertyValue value) throws IOException {
    DeviceProperty p = get(code);
    p.set(value);
    changedOnDevice.accept(code);
  }

  /** Collects properties before the responder exists. */
  public static final class Builder {
    private final Map<Integer, DeviceProperty> properties = new LinkedHashMap<>();

    public Builder add(DeviceProperty p) {
      properties.put(p.code(), p);
      return this;
    }

    public List<DeviceProperty> list() { return new ArrayList<>(properties.values()); }

    /** @param changedOnDevice told the code of a property the device changed (it raises DevicePropChanged) */
    public DevicePropertyRegistry build(IntConsumer changedOnDevice) {
      return new DevicePropertyRegistry(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties)), changedOnDevice);
    }
  }
}
