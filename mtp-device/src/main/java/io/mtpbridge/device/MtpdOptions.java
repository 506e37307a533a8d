package io.mtpbridge.device;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything mtpd is told, after the config file and the command line were merged.
 *
 * @param functionFs the mounted FunctionFS instance
 * @param storages what the host sees, in order
 * @param manufacturer DeviceInfo manufacturer
 * @param model DeviceInfo model
 * @param serial DeviceInfo serial number (use the same as the gadget's USB serial string)
 * @param deviceVersion DeviceInfo device version
 * @param friendlyName initial DeviceFriendlyName, or null for the model
 * @param friendlyNameFile where a name set by the host is kept, or null
 * @param logLevel error, warn, info, debug or trace
 * @param backup the backup bridge's settings, or null when mtpd serves no backups
 * @param androidExtension advertise {@code android.com: 1.0;} in DeviceInfo (see the README)
 */
public record MtpdOptions(Path functionFs, List<StorageSpec> storages, String manufacturer, String model,
                          String serial, String deviceVersion, String friendlyName, Path friendlyNameFile,
                          String logLevel, BackupOptions backup, boolean androidExtension) {
  public MtpdOptions {
    storages = List.copyOf(storages);
  }

  /** Options without the android.com entry in DeviceInfo (the default). */
  public MtpdOptions(Path functionFs, List<StorageSpec> storages, String manufacturer, String model,
                     String serial, String deviceVersion, String friendlyName, Path friendlyNameFile,
                     String logLevel, BackupOptions backup) {
    this(functionFs, storages, manufacturer, model, serial, deviceVersion, friendlyName, friendlyNameFile, logLevel, backup, false);
  }

  /** Options without the backup bridge (the form callers used before backups came to mtpd). */
  public MtpdOptions(Path functionFs, List<StorageSpec> storages, String manufacturer, String model,
                     String serial, String deviceVersion, String friendlyName, Path friendlyNameFile,
                     String logLevel) {
    this(functionFs, storages, manufacturer, model, serial, deviceVersion, friendlyName, friendlyNameFile, logLevel, null);
  }
}
