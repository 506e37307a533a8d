package io.mtpbridge.sim.app;

import io.mtpbridge.device.MtpdCommandLine;
import io.mtpbridge.device.UsageException;
import io.mtpbridge.sim.usbip.ExportedDevice;
import io.mtpbridge.sim.usbip.UsbIpProtocol;
import io.mtpbridge.usb.function.UsbSpeed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * device-sim's command line: the simulator's own options are taken out here; everything else
 * goes to mtpd's parser unchanged, so storages, identity and the config file behave exactly as
 * for mtpd. When no storage is given (on the command line or in the config file), the demo
 * folder is served.
 */
final class SimCommandLine {
  static final String USAGE = String.join("\n",
      "usage: java -jar device-sim.jar [--storage NAME=PATH[:ro] ...] [options]",
      "       java -jar device-sim.jar --demo",
      "",
      "Starts the simulated MTP device and exports it over USB/IP, so a Linux PC can attach it with",
      "'usbip attach'. Without --storage it serves the demo folder (created with sample files on first",
      "run in " + DemoContent.describeDefaultFolder() + ").",
      "",
      "Simulator options:",
      "  --demo                  no USB/IP, no root: an in-JVM host attaches, prints what it sees",
      "                          (device info, storages, files, one file fetched and verified), exits 0",
      "  --usbip-address ADDR    address to listen on (default 127.0.0.1; anything else is reachable",
      "                          from other machines and USB/IP has no authentication)",
      "  --usbip-port PORT       TCP port (default 3240, the USB/IP standard port)",
      "  --busid ID              bus id to export (default 1-1)",
      "  --speed full|high|super simulated bus speed: bulk packets of 64, 512 or 1024 bytes (default high)",
      "  --usb-vid HEX           USB vendor id (default 0x1209, as udev-rules/)",
      "  --usb-pid HEX           USB product id (default 0x000c, as udev-rules/)",
      "",
      "Device options (the same as mtpd's; see mtp-device/README.md):",
      "  --storage NAME=PATH[:ro] a folder the host sees as a storage called NAME; repeatable;",
      "                          replaces the demo storage",
      "  --manufacturer TEXT  --model TEXT  --serial TEXT  --device-version TEXT",
      "  --friendly-name TEXT  --friendly-name-file FILE",
      "  --config FILE           mtpd's properties file (storage.1=NAME=PATH[:ro], serial=..., ...);",
      "                          command-line options win; the simulator options above are command-line only",
      "  --log-level LEVEL       error, warn, info (default; warn with --demo), debug or trace",
      "  (mtpd's --backup-* options are refused: the simulator always runs its demo backup owners)",
      "  --help                  print this help",
      "",
      "Exit status: 0 on a clean stop (Ctrl-C/SIGTERM) or a successful --demo, 1 when a storage or the",
      "port cannot be used or the demo failed, 2 for a bad option.");

  private static final Set<String> OWN = Set.of("usbip-address", "usbip-port", "busid", "speed", "usb-vid", "usb-pid");
  /** mtpd insists on a FunctionFS directory; the simulator has none, so it passes this placeholder. */
  private static final String NO_FUNCTIONFS = "/nonexistent/device-sim-uses-usbip";

  /**
   * The simulator always runs the demo backup (its own registrations, volumes and owners beside
   * the demo storage); a deployment's backup configuration belongs to mtpd.
   */
  static final String NO_BACKUP_OPTIONS = "device-sim runs its own demo backup owners and takes no --backup-* options;"
      + " use mtpd (mtp-device) to serve your own registrations";

  private SimCommandLine() {}

  /** Returns null when help was asked for. */
  static SimOptions parse(String[] args) throws UsageException {
    List<String> rest = new ArrayList<>();
    String address = "127.0.0.1";
    String port = String.valueOf(UsbIpProtocol.DEFAULT_PORT);
    String busId = ExportedDevice.DEFAULT_BUSID;
    String speed = "high";
    String vid = "0x1209";
    String pid = "0x000c";
    boolean demo = false;
    boolean levelGiven = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.startsWith("--") ? arg.substring(2) : arg;
      String inline = null;
      int eq = name.indexOf('=');
      if (arg.startsWith("--") && eq >= 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (name.equals("help")) return null;
      if (name.equals("demo")) {
        if (inline != null) throw new UsageException("--demo takes no value");
        demo = true;
        continue;
      }
      if (name.equals("functionfs")) {
        throw new UsageException("device-sim has no FunctionFS: it serves over USB/IP (see --usbip-address/--usbip-port); use mtpd for a real gadget");
      }
      if (arg.startsWith("--") && name.startsWith("backup-")) throw new UsageException("--" + name + ": " + NO_BACKUP_OPTIONS);
      if (name.equals("log-level")) levelGiven = true;
      if (!OWN.contains(name)) {
        rest.add(arg);
        continue;
      }
      String value = inline;
      if (value == null) {
        if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value (see --help)");
        value = args[++i];
      }
      switch (name) {
        case "usbip-address" -> address = value;
        case "usbip-port" -> port = value;
        case "busid" -> busId = value;
        case "speed" -> speed = value;
        case "usb-vid" -> vid = value;
        case "usb-pid" -> pid = value;
        default -> throw new IllegalStateException(name);
      }
    }
    if (demo && !levelGiven) {
      rest.add("--log-level");
      rest.add("warn");
    }
    rest.add("--functionfs");
    rest.add(NO_FUNCTIONFS);
    MtpdCommandLine.Parsed parsed;
    boolean demoStorage = false;
    try {
      parsed = MtpdCommandLine.parse(rest.toArray(String[]::new));
    } catch (UsageException first) {
      // If only a storage was missing, adding the demo folder fixes it: serve the demo.
      rest.add("--storage");
      rest.add(DemoContent.STORAGE_NAME + "=" + DemoContent.defaultFolder());
      try {
        parsed = MtpdCommandLine.parse(rest.toArray(String[]::new));
      } catch (UsageException second) {
        throw first;
      }
      demoStorage = true;
    }
    if (parsed.help()) return null;
    if (parsed.options().backup() != null) throw new UsageException("the config file's backup-* keys: " + NO_BACKUP_OPTIONS);
    return new SimOptions(parsed.options(), demoStorage, socketAddress(address, port), checkBusId(busId), speed(speed),
        hex16("--usb-vid", vid), hex16("--usb-pid", pid), demo);
  }

  private static InetSocketAddress socketAddress(String address, String portText) throws UsageException {
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new UsageException("--usbip-port \"" + portText + "\" is not a number (the USB/IP default is 3240)");
    }
    if (port < 0 || port > 65535) throw new UsageException("--usbip-port " + port + " is outside 0..65535");
    try {
      return new InetSocketAddress(InetAddress.getByName(address), port);
    } catch (UnknownHostException e) {
      throw new UsageException("--usbip-address \"" + address + "\" is not an address of this machine (try 127.0.0.1)");
    }
  }

  private static String checkBusId(String busId) throws UsageException {
    if (!busId.matches("[0-9]+-[0-9]+(\\.[0-9]+)*")) throw new UsageException("--busid \"" + busId + "\" is not a USB bus id like 1-1 or 2-1.3");
    return busId;
  }

  private static UsbSpeed speed(String s) throws UsageException {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "full" -> UsbSpeed.FULL;
      case "high" -> UsbSpeed.HIGH;
      case "super" -> UsbSpeed.SUPER;
      default -> throw new UsageException("--speed \"" + s + "\" is not full, high or super");
    };
  }

  private static int hex16(String option, String text) throws UsageException {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) t = t.substring(2);
    try {
      int v = Integer.parseInt(t, 16);
      if (v >= 0 && v <= 0xFFFF && !t.isEmpty()) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new UsageException(option + " \"" + text + "\" is not a 16-bit hex number like 0x1209");
  }

}
