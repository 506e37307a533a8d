package io.mtpbridge.core.responder;

import java.util.Objects;

/** Who the device says it is in DeviceInfo. Hosts key devices by serial number, so make it unique. */
public record DeviceIdentity(String manufacturer, String model, String deviceVersion, String serialNumber) {
  public DeviceIdentity {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(deviceVersion, "deviceVersion");
    Objects.requireNonNull(serialNumber, "serialNumber");
    if (manufacturer.isEmpty() || model.isEmpty() || serialNumber.isEmpty()) {
      throw new IllegalArgumentException("manufacturer, model and serial number must not be empty (hosts need them)");
    }
  }
}
