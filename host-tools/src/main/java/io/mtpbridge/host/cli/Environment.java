package io.mtpbridge.host.cli;

import io.mtpbridge.host.Cancellation;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.usb.LibUsbDeviceSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * What mtpbridge works with, so tests can swap it: where output goes, where devices come from
 * (real USB, or the simulator's virtual port), whether stdout is a terminal (progress bars), the
 * backups root, the time zone for device dates, and the Ctrl-C signal.
 */
public record Environment(PrintStream out, PrintStream err, Devices devices, boolean terminal, Path backupsRoot, ZoneId zone,
                          Cancellation cancellation) {
  /** Opens the device source for one command (a libusb context, or the simulator's devices). */
  @FunctionalInterface
  public interface Devices {
    DeviceSource open() throws IOException;
  }

  /**
   * The real thing: System.out/err (behind {@link VisibleText#guard}: no control character from a
   * device reaches the terminal), libusb, a terminal when there is a console.
   */
  public static Environment system() {
    Charset cs = consoleCharset();
    return new Environment(VisibleText.guard(System.out, false, cs), VisibleText.guard(System.err, true, cs), new LibUsbDevices(),
        System.console() != null, BackupRepository.defaultRoot(), ZoneId.systemDefault(), new Cancellation());
  }

  /** Real USB (a class, not a method reference: see {@link io.mtpbridge.host.Cancellation}). */
  private static final class LibUsbDevices implements Devices {
    @Override public DeviceSource open() throws IOException { return LibUsbDeviceSource.open(); }
  }

  /** The charset System.out encodes with on Java 17 (PrintStream.charset() came in 18). */
  private static Charset consoleCharset() {
    String console = System.getProperty("sun.stdout.encoding");
    try {
      if (console != null) return Charset.forName(console);
    } catch (IllegalArgumentException unknown) {
      // fall through to the default
    }
    return Charset.defaultCharset();
  }
}
