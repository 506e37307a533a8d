package io.mtpbridge.device;

import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.backup.mtp.BackupStorage;
import io.mtpbridge.backup.registration.RegistrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup bridge as mtpd runs it: the Backup Engine on the configured registrations, volumes,
 * staging and owner socket; the "Backup" storage; and the vendor backup operations, installed
 * into the device through {@link #extension()}. Closing it aborts a backup or restore in flight
 * (every owner the session had called gets terminateMultiStageOperation) and closes the socket.
 */
final class DeviceBackup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeviceBackup.class);
  /** How long a new /Backups folder waits for an owners.txt before a full backup starts. */
  static final Duration OWNERS_TXT_GRACE = Duration.ofSeconds(3);

  private final BackupEngine engine;
  private final BackupStorage storage;
  private final BackupBridge bridge;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DeviceBackup(BackupEngine engine, BackupStorage storage) {
    this.engine = engine;
    this.storage = storage;
    this.bridge = new BackupBridge(engine);
  }

  /** Checks the configured directories, then starts the engine; every problem says what to fix. */
  static DeviceBackup start(BackupOptions o, String deviceName) throws StartupException {
    return start(o, deviceName, OWNERS_TXT_GRACE);
  }

  static DeviceBackup start(BackupOptions o, String deviceName, Duration grace) throws StartupException {
    check(o);
    BackupEngine engine;
    try {
      engine = BackupEngine.start(new EngineConfig(o.registrations(), o.volumes(), o.socket(), o.staging(),
          o.stagingLimit(), o.readyTimeout(), deviceName));
    } catch (IOException | RuntimeException e) {
      throw new StartupException("cannot start the backup engine: " + e.getMessage()
          + (o.socket() != null ? " (check that " + o.socket() + " is free and its folder writable)" : ""), e);
    }
    try {
      BackupStorage storage = new BackupStorage(engine, grace);
      for (RegistrationException p : engine.registrationProblems()) log.warn("backup registration left out: {}", p.getMessage());
      log.info("backup bridge on: {} owners from {}, volumes {}, staging {} (limit {} bytes), owner socket {}",
          engine.registrations().size(), o.registrations(), o.volumes(), o.staging(), o.stagingLimit(),
          o.socket() == null ? "off" : o.socket());
      return new DeviceBackup(engine, storage);
    } catch (IOException | RuntimeException e) {
      engine.close();
      throw new StartupException("backup staging " + o.staging() + ": " + e.getMessage()
          + ": make it a writable directory or fix --backup-staging", e);
    }
  }

  private static void check(BackupOptions o) throws StartupException {
    Path reg = o.registrations();
    if (!Files.isDirectory(reg)) {
      throw new StartupException("backup registrations " + reg + (Files.exists(reg) ? " is not a folder" : " does not exist")
          + ": create the folder with the owners' *.xml files or fix --backup-registrations");
    }
    if (!Files.isReadable(reg)) {
      throw new StartupException("backup registrations " + reg + " is not readable by this user: fix its permissions");
    }
    for (Map.Entry<String, Path> v : o.volumes().entrySet()) {
      Path p = v.getValue();
      if (!Files.isDirectory(p)) {
        throw new StartupException("backup volume \"" + v.getKey() + "\": " + p + (Files.exists(p) ? " is not a folder" : " does not exist")
            + ": create it or fix --backup-volume " + v.getKey() + "=" + p);
      }
    }
    Path staging = o.staging();
    if (Files.exists(staging)) {
      if (!Files.isDirectory(staging)) {
        throw new StartupException("backup staging " + staging + " is not a folder: fix --backup-staging");
      }
    } else {
      try {
        Files.createDirectories(staging);
      } catch (IOException | RuntimeException e) {
        throw new StartupException("backup staging " + staging + " does not exist and cannot be created (" + e.getMessage()
            + "): create it, writable by the mtpd user, or fix --backup-staging", e);
      }
    }
    if (!Files.isWritable(staging)) {
      throw new StartupException("backup staging " + staging + " is not writable by this user: fix its permissions or --backup-staging");
    }
    Path socket = o.socket();
    if (socket != null) {
      if (Files.isDirectory(socket) || Files.isRegularFile(socket)) {
        throw new StartupException("backup socket " + socket + " is an existing " + (Files.isDirectory(socket) ? "folder" : "file")
            + ": choose a free path for --backup-socket (e.g. /run/mtpd/backup-engine.sock)");
      }
      Path parent = socket.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        throw new StartupException("backup socket " + socket + ": its folder " + parent
            + " does not exist or is not writable: create it (systemd: RuntimeDirectory=mtpd) or fix --backup-socket");
      }
    }
  }

  /** Installs the vendor backup operations and the Backup storage into the responder being built. */
  MtpDevice.Extension extension() {
    return b -> bridge.install(b, storage);
  }

  BackupEngine engine() { return engine; }

  /** Idempotent: the serving thread and the shutdown hook may both call it. */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    // the engine first: it aborts a session in flight, which tells its owners to terminate
    engine.close();
    storage.close();
  }
}
