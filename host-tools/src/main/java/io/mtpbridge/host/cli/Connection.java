package io.mtpbridge.host.cli;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.MtpResponseException;
import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.link.InitiatorLink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chosen device with its MTP interface claimed and an MTP session open; closing ends the
 * session and releases the interface.
 */
final class Connection implements AutoCloseable {
  /** Per-transfer timeout of ordinary operations (backups have their own, longer one). */
  static final long TIMEOUT_MILLIS = 30_000;
  private static final Pattern BUS_ADDRESS = Pattern.compile("0*(\\d{1,3})[-:.]0*(\\d{1,3})");

  final AttachedDevice device;
  final InitiatorLink link;
  final MtpInitiator mtp;
  final DeviceInfo info;
  private final DeviceSource source;

  private Connection(DeviceSource source, AttachedDevice device, InitiatorLink link, MtpInitiator mtp, DeviceInfo info) {
    this.source = source;
    this.device = device;
    this.link = link;
    this.mtp = mtp;
    this.info = info;
  }

  /** Opens the device {@code selector} names (serial or bus-address), or the only one there is. */
  static Connection open(Environment env, String selector) throws IOException {
    DeviceSource source = env.devices().open();
    try {
      AttachedDevice d = choose(source.devices(), selector);
      return open(source, d);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  static Connection open(DeviceSource source, AttachedDevice d) throws IOException {
    InitiatorLink link = d.open();
    try {
      MtpInitiator mtp = new MtpInitiator(link, TIMEOUT_MILLIS, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
      openSession(mtp);
      return new Connection(source, d, link, mtp, mtp.deviceInfo());
    } catch (IOException | RuntimeException e) {
      try {
        link.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw e;
    }
  }

  /** OpenSession; a session a killed program left open is closed and opened again (as go-mtpfs does). */
  private static void openSession(MtpInitiator mtp) throws IOException {
    try {
      mtp.openSession(1);
    } catch (MtpResponseException e) {
      if (e.responseCode() != ResponseCode.SESSION_ALREADY_OPEN.value()) throw e;
      mtp.forgetSession();
      try {
        mtp.call(io.mtpbridge.core.code.OperationCode.CLOSE_SESSION.value());
      } catch (MtpResponseException ignored) {
        // nothing was open after all
      }
      mtp.openSession(1);
    }
  }

  static AttachedDevice choose(List<AttachedDevice> all, String selector) {
    if (selector != null) {
      for (AttachedDevice d : all) if (matches(d, selector)) return d;
      throw new CliException(all.isEmpty()
          ? "no MTP device is connected, so none has serial or bus-address " + selector + ": plug it in (and unlock it) and try again"
          : "no MTP device has serial or bus-address " + selector + "; connected: " + describe(all) + " (see mtpbridge devices)");
    }
    if (all.isEmpty()) {
      throw new CliException("no MTP device found: plug one in (unlock it and choose file transfer / MTP), or attach one with"
          + " usbip, then try again (mtpbridge devices lists what is seen)");
    }
    if (all.size() > 1) {
      throw CliException.usage(all.size() + " MTP devices are connected: " + describe(all) + "; choose one with --device SERIAL or --device BUS-ADDR");
    }
    return all.get(0);
  }

  static boolean matches(AttachedDevice d, String selector) {
    if (!d.serial().isEmpty() && d.serial().equals(selector)) return true;
    Matcher m = BUS_ADDRESS.matcher(selector.strip());
    Matcher own = BUS_ADDRESS.matcher(d.busAddress());
    return m.matches() && own.matches() && Integer.parseInt(m.group(1)) == Integer.parseInt(own.group(1))
        && Integer.parseInt(m.group(2)) == Integer.parseInt(own.group(2));
  }

  static String describe(List<AttachedDevice> all) {
    List<String> parts = new ArrayList<>();
    for (AttachedDevice d : all) {
      String what = (d.manufacturer() + " " + d.product()).strip();
      parts.add(d.busAddress() + (what.isEmpty() ? "" : " " + what) + (d.serial().isEmpty() ? "" : " serial " + d.serial()));
    }
    return String.join("; ", parts);
  }

  /** The serial the backup repository is kept under: MTP's, else USB's, else the bus address. */
  String serial() {
    if (info.serialNumber() != null && !info.serialNumber().isBlank()) return info.serialNumber().strip();
    if (!device.serial().isEmpty()) return device.serial();
    return device.busAddress();
  }

  String name() {
    String what = (info.manufacturer() + " " + info.model()).strip();
    return (what.isEmpty() ? "device" : what) + " (serial " + serial() + ")";
  }

  @Override
  public void close() {
    try {
      if (mtp.sessionOpen()) mtp.closeSession();
    } catch (IOException | RuntimeException ignored) {
      // unplugged or failing: releasing the interface is all that is left
    }
    try {
      link.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
    try {
      source.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}
