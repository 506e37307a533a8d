package io.mtpbridge.sim.app;

import ch.qos.logback.classic.Level;
import io.mtpbridge.cli.ExitStatus;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.DeviceStorages;
import io.mtpbridge.device.MtpDevice;
import io.mtpbridge.device.Mtpd;
import io.mtpbridge.device.StartupChecks;
import io.mtpbridge.device.StartupException;
import io.mtpbridge.device.StopSignals;
import io.mtpbridge.device.UsageException;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.usbip.ExportedDevice;
import io.mtpbridge.sim.usbip.UsbIpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * device-sim: the simulated MTP device. By default it serves its storages over USB/IP so a Linux
 * PC can attach it as a real USB device; with {@code --demo} an in-JVM host walks through it and
 * the program exits. See device-sim/README.md.
 */
public final class DeviceSim {
  static final int EXIT_OK = ExitStatus.OK;
  static final int EXIT_ENVIRONMENT = ExitStatus.FAILURE;
  static final int EXIT_USAGE = ExitStatus.USAGE;

  private DeviceSim() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err, new CountDownLatch(1));
    System.exit(status);
  }

  /**
   * The extensions plugged into the device's responder: the backup bridge (the "Backup" storage,
   * the vendor backup operations) with the demo data owners, whose data lives beside the demo
   * storage so that a restore can be checked on disk.
   */
  static List<MtpDevice.Extension> extensions(DemoBackup backup) {
    return backup == null ? List.of() : List.of(backup::install);
  }

  /**
   * The demo data owners, or null when their folder cannot be used (a read-only home, say): the
   * device then serves its storages without the Backup storage and says so in one line.
   */
  static DemoBackup startDemoBackup(PrintStream err) {
    try {
      return DemoBackup.start(backupDemoFolder(), true);
    } catch (IOException | RuntimeException e) {
      err.println("device-sim: serving without the Backup storage: the demo data owners cannot use " + backupDemoFolder()
          + " (" + e.getMessage() + ")");
      return null;
    }
  }

  /** Where the demo data owners keep their volumes, registrations and staging. */
  static Path backupDemoFolder() {
    return DemoContent.defaultFolder().resolveSibling("backup");
  }

  /** Runs until {@code stop} is released (or forever, under a shutdown hook); returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
    // before parsing: under a locale that is not UTF-8 a non-ASCII storage path cannot even be read
    String locale = StartupChecks.onlyAsksForHelp(args) ? null : StartupChecks.fileNameEncodingProblem("device-sim");
    if (locale != null) {
      err.println("device-sim: " + locale);
      return EXIT_ENVIRONMENT;
    }
    SimCommandLine.Parsed parsed;
    try {
      parsed = SimCommandLine.parse(args);
      if (parsed.options() != null) StartupChecks.checkDeviceStrings(parsed.options().device());
    } catch (UsageException e) {
      err.println("device-sim: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (parsed.help()) {
      out.print(SimCommandLine.usage());
      return EXIT_OK;
    }
    if (parsed.version()) {
      out.println("device-sim " + Mtpd.VERSION);
      return EXIT_OK;
    }
    SimOptions options = parsed.options();
    setLogLevel(options.device().logLevel());
    List<FileSystemStorage> storages;
    try {
      if (options.demoStorage() && DemoContent.createIfMissing(DemoContent.defaultFolder())) {
        out.println("Created the demo storage with sample files in " + DemoContent.defaultFolder());
      }
      storages = DeviceStorages.open(options.device().storages());
    } catch (IOException | StartupException e) {
      err.println("device-sim: " + e.getMessage());
      return EXIT_ENVIRONMENT;
    }
    DemoBackup backup = startDemoBackup(err);
    try (backup) {
      SimulatedDevice sim;
      try {
        sim = SimulatedDevice.start(options.device(), storages, options.speed(), options.vendorId(), options.productId(), extensions(backup));
      } catch (IOException | RuntimeException e) {
        storages.forEach(FileSystemStorage::close);
        err.println("device-sim: cannot start the device: " + e.getMessage());
        return EXIT_ENVIRONMENT;
      }
      try (sim) {
        return options.demo() ? demo(sim, options, out, err) : serveUsbIp(sim, options, out, err, stop);
      }
    }
  }

  private static int demo(SimulatedDevice sim, SimOptions options, PrintStream out, PrintStream err) {
    try {
      new DemoSession(sim, options, out).run();
      return EXIT_OK;
    } catch (IOException | RuntimeException e) {
      err.println("device-sim --demo failed: " + e.getMessage());
      return EXIT_ENVIRONMENT;
    }
  }

  private static int serveUsbIp(SimulatedDevice sim, SimOptions options, PrintStream out, PrintStream err, CountDownLatch stop) {
    UsbIpServer server = new UsbIpServer(new ExportedDevice(sim.udc(), options.busId()), options.usbip());
    try {
      server.start();
    } catch (IOException e) {
      err.println("device-sim: " + e.getMessage());
      return EXIT_ENVIRONMENT;
    }
    // SIGTERM/Ctrl-C: release the main thread, then give it time to end the session cleanly
    // (a partial upload is removed) before the JVM halts.
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        cleanedUp.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "device-sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    StopSignals.install(LoggerFactory.getLogger(DeviceSim.class), "the device", stop::countDown);
    try (server) {
      printAttachHelp(out, options, server.address());
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      err.println("device-sim: closing the USB/IP server: " + e.getMessage());
    }
    sim.close();
    cleanedUp.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook released us; nothing else to undo
    }
    return EXIT_OK;
  }

  static void printAttachHelp(PrintStream out, SimOptions options, InetSocketAddress bound) {
    String host = bound.getAddress().isAnyLocalAddress() ? "<this machine's IP address>" : bound.getAddress().getHostAddress();
    String port = bound.getPort() == 3240 ? "" : " --tcp-port " + bound.getPort();
    out.printf(Locale.ROOT, "MTP Bridge simulated device \"%s %s\" (serial %s) is ready on USB/IP at %s:%d, bus id %s.%n",
        options.device().manufacturer(), options.device().model(), options.device().serial(), host, bound.getPort(), options.busId());
    options.device().storages().forEach(s -> out.printf("  storage %s = %s%s%n", s.name(), s.path(), s.readOnly() ? " (read-only)" : ""));
    out.println();
    out.println("Attach it on a Linux PC (root needed; packages usbip / linux-tools):");
    out.println("  sudo modprobe vhci-hcd");
    out.printf("  sudo usbip%s attach -r %s -b %s%n", port, host, options.busId());
    out.println("Then browse it:");
    out.println("  mtp-detect; mtp-files          (package mtp-tools)");
    out.printf("  or open the file manager: it shows \"%s\" (gvfs: mtp://%s)%n", options.device().model(), options.device().serial());
    out.println("Detach with 'sudo usbip port' and 'sudo usbip detach -p <port>'. Stop the device with Ctrl-C.");
    out.flush();
  }

  static void setLogLevel(String level) {
    org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger lb) lb.setLevel(Level.toLevel(level, Level.INFO));
  }
}
