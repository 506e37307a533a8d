package io.mtpbridge.core.responder;

import io.mtpbridge.core.dataset.PtpString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the device says it is in DeviceInfo. Hosts key devices by serial number (KDE, gvfs's
 * mtp://serial, Windows), so two devices must never share one. Every string must fit an MTP
 * string (254 UTF-16 units): it is refused here, when configured, rather than at GetDeviceInfo.
 */
public record DeviceIdentity(String manufacturer, String model, String deviceVersion, String serialNumber) {
  /** Where Linux keeps the machine's id (machine-id(5)). */
  static final List<Path> MACHINE_ID_FILES = List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id"));

  public DeviceIdentity {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(deviceVersion, "deviceVersion");
    Objects.requireNonNull(serialNumber, "serialNumber");
    if (manufacturer.isEmpty() || model.isEmpty() || serialNumber.isEmpty()) {
      throw new IllegalArgumentException("manufacturer, model and serial number must not be empty (hosts need them)");
    }
    check("manufacturer", manufacturer);
    check("model", model);
    check("device version", deviceVersion);
    check("serial number", serialNumber);
  }

  private static void check(String what, String value) {
    if (!PtpString.isEncodable(value)) {
      throw new IllegalArgumentException("the " + what + " is " + value.length() + " UTF-16 units long (or holds an unpaired surrogate);"
          + " an MTP string holds at most " + PtpString.MAX_CHARS);
    }
  }

  /**
   * A serial number for this machine: 16 hex digits of a hash of its machine-id (the id itself is
   * not to be shown: machine-id(5)), the same on every start; empty when the machine has no id.
   * udev-rules/gadget/mtp-gadget derives the USB serial string by the same rule.
   */
  public static Optional<String> machineSerial() { return machineSerial(MACHINE_ID_FILES); }

  static Optional<String> machineSerial(List<Path> files) {
    for (Path f : files) {
      try {
        String id = Files.readString(f, StandardCharsets.US_ASCII).strip();
        if (!id.isEmpty()) return Optional.of(serialFor(id));
      } catch (IOException | RuntimeException e) {
        // try the next
      }
    }
    return Optional.empty();
  }

  /** The serial for machine-id {@code id}: SHA-256 of "mtpbridge-serial:" + id, first 8 bytes, upper-case hex. */
  static String serialFor(String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(("mtpbridge-serial:" + id).getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d, 0, 8).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** 16 random hex digits: for a device that has no machine-id and was given no serial. */
  static String randomSerial() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
  }
}
