package io.mtpbridge.core.property;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.responder.MtpOperationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A string device property (DeviceFriendlyName, SynchronizationPartner), optionally persisted to a
 * file so a name the host set survives a restart. The file is replaced atomically.
 */
public final class StringDeviceProperty implements DeviceProperty {
  private static final Logger log = LoggerFactory.getLogger(StringDeviceProperty.class);

  private final int code;
  private final String defaultValue;
  private final boolean writable;
  private final Path file;
  private String value;

  /**
   * @param file where the value is kept across restarts, or null to keep it in memory only
   */
  public StringDeviceProperty(int code, String defaultValue, boolean writable, Path file) {
    if (!PtpString.isEncodable(defaultValue)) throw new IllegalArgumentException("default value is not a valid PTP string");
    this.code = code;
    this.defaultValue = defaultValue;
    this.writable = writable;
    this.file = file;
    this.value = load();
  }

  private String load() {
    if (file == null || !Files.isRegularFile(file)) return defaultValue;
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (PtpString.isEncodable(s)) return s;
      log.warn("ignoring {}: its content is not a valid PTP string", file);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read {}: {}", file, e.toString());
    }
    return defaultValue;
  }

  @Override public int code() { return code; }
  @Override public DataType dataType() { return DataType.STR; }
  @Override public boolean writable() { return writable; }
  @Override public PropertyValue defaultValue() { return PropertyValue.str(defaultValue); }
  @Override public synchronized PropertyValue value() { return PropertyValue.str(value); }

  /** The current value as a Java string. */
  public synchronized String stringValue() { return value; }

  @Override
  public synchronized void set(PropertyValue v) throws IOException {
    if (!writable) throw new MtpOperationException(ResponseCode.ACCESS_DENIED.value(), "property is read-only");
    if (!(v instanceof PropertyValue.Str s)) {
      throw new MtpOperationException(ResponseCode.INVALID_DEVICE_PROP_FORMAT.value(), "expected a string");
    }
    persist(s.value());
    value = s.value();
  }

  private void persist(String s) throws IOException {
    if (file == null) return;
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, s + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
