package io.mtpbridge.device;

import ch.qos.logback.classic.Level;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.cli.CommandLines;
import io.mtpbridge.cli.ExitStatus;
import io.mtpbridge.core.responder.ResponderFailedException;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.usb.function.UsbFunction;
import io.mtpbridge.usb.functionfs.FunctionFsFunction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mtpd, the device daemon: serves folders over MTP on a Linux USB gadget's FunctionFS instance.
 * See mtp-device/README.md.
 */
public final class Mtpd {
  public static final String VERSION = CommandLines.implementationVersion(Mtpd.class, "0.1.0");
  static final int EXIT_OK = ExitStatus.OK;
  static final int EXIT_ENVIRONMENT = ExitStatus.FAILURE;
  static final int EXIT_USAGE = ExitStatus.USAGE;
  private static final long STOP_TIMEOUT_SECONDS = 15;

  private Mtpd() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Opens the USB function mtpd serves on: FunctionFS, or a stand-in for the start-path probe. */
  @FunctionalInterface
  interface FunctionOpener {
    UsbFunction open(Path functionFs) throws IOException;
  }

  /** Runs mtpd until it is stopped; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, null);
  }

  /**
   * {@link #run(String[], PrintStream, PrintStream)} on the function {@code opener} gives (null:
   * FunctionFS); the start-path probe (test sources, StartPathProbe) measures mtpd's own start
   * this way on a machine without FunctionFS.
   */
  static int run(String[] args, PrintStream out, PrintStream err, FunctionOpener opener) {
    // before parsing: under a locale that is not UTF-8 a non-ASCII storage path cannot even be read
    String locale = StartupChecks.onlyAsksForHelp(args) ? null : StartupChecks.fileNameEncodingProblem("mtpd");
    if (locale != null) {
      err.println("mtpd: " + locale);
      return EXIT_ENVIRONMENT;
    }
    MtpdCommandLine.Parsed parsed;
    try {
      parsed = MtpdCommandLine.parse(args);
      if (parsed.options() != null) StartupChecks.checkDeviceStrings(parsed.options());
    } catch (UsageException e) {
      err.println("mtpd: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (parsed.help()) {
      out.print(MtpdCommandLine.usage());
      return EXIT_OK;
    }
    if (parsed.version()) {
      out.println("mtpd " + VERSION);
      return EXIT_OK;
    }
    MtpdOptions options = parsed.options();
    JnaLibraryPath.setFromRunningLibc();
    JnaLibraryPath.setShippedBootPath();
    setLogLevel(options.logLevel());
    Logger log = LoggerFactory.getLogger(Mtpd.class);

    List<FileSystemStorage> storages;
    try {
      storages = DeviceStorages.open(options.storages());
    } catch (StartupException e) {
      err.println("mtpd: " + e.getMessage());
      return EXIT_ENVIRONMENT;
    }
    DeviceBackup backup = null;
    if (options.backup() != null) {
      try {
        backup = DeviceBackup.start(options.backup(), options.model());
      } catch (StartupException e) {
        storages.forEach(FileSystemStorage::close);
        err.println("mtpd: " + e.getMessage());
        return EXIT_ENVIRONMENT;
      }
    }
    UsbFunction function;
    try {
      function = opener == null ? FunctionFsFunction.open(options.functionFs()) : opener.open(options.functionFs());
    } catch (IOException e) {
      storages.forEach(FileSystemStorage::close);
      if (backup != null) backup.close();
      err.println("mtpd: " + e.getMessage());
      return EXIT_ENVIRONMENT;
    }
    MtpDevice device;
    try {
      device = new MtpDevice(options, storages, function, backup == null ? List.of() : List.of(backup.extension()));
      device.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(function);
      storages.forEach(FileSystemStorage::close);
      if (backup != null) backup.close();
      err.println("mtpd: " + e.getMessage());
      return EXIT_ENVIRONMENT;
    }
    StopSignals.install(log, "mtpd", device::stop);
    // any other way out (System.exit elsewhere, SIGHUP) still closes the session cleanly
    DeviceBackup backupToClose = backup;
    Thread hook = new Thread(() -> {
      device.stop();
      awaitQuietly(device);
      // the serving thread closes the engine too, but the JVM may halt before it gets there
      if (backupToClose != null) backupToClose.close();
    }, "mtpd-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    log.info("mtpd {} serving {} on {} as {} {} (serial {})", VERSION, options.storages(), options.functionFs(),
        options.manufacturer(), options.model(), options.serial());
    if (backup != null) log.info("backup bridge: Backup storage and vendor extension {} served", BackupBridge.VENDOR_EXTENSION);
    int status = EXIT_OK;
    try {
      device.serve();
    } catch (ResponderFailedException e) {
      // the responder stopped rather than serve a damaged handle index: end with a failure status
      // so the service manager starts mtpd afresh (mtpd.service: Restart=on-failure)
      log.error("mtpd cannot go on: {}", e.getMessage());
      err.println("mtpd: " + e.getMessage() + "; exiting so that the service manager restarts it");
      status = EXIT_ENVIRONMENT;
    }
    device.close();
    // after serve(): the MTP session has ended, so a backup session in flight was aborted and its
    // owners told to terminate; closing the engine ends any that remain and the owner socket.
    if (backup != null) backup.close();
    log.info("mtpd stopped");
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or ran; nothing left to do
    }
    return status;
  }

  private static void awaitQuietly(MtpDevice device) {
    try {
      device.awaitStopped(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(UsbFunction f) {
    try {
      f.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  static void setLogLevel(String level) {
    org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger lb) lb.setLevel(Level.toLevel(level, Level.INFO));
  }
}
