package io.mtpbridge.sim.app;

import static io.mtpbridge.cli.CommandLines.flag;
import static io.mtpbridge.cli.CommandLines.hidden;
import static io.mtpbridge.cli.CommandLines.section;
import static io.mtpbridge.cli.CommandLines.value;

import io.mtpbridge.cli.CommandLines;
import io.mtpbridge.device.Mtpd;
import io.mtpbridge.device.MtpdCommandLine;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.device.UsageException;
import io.mtpbridge.sim.usbip.ExportedDevice;
import io.mtpbridge.sim.usbip.UsbIpProtocol;
import io.mtpbridge.usb.function.UsbSpeed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * device-sim's command line: the simulator's own options plus mtpd's device options, read by
 * mtpd's parser, so storages, identity and the config file behave exactly as for mtpd. When no
 * storage is given (on the command line or in the config file), the demo folder is served.
 */
final class SimCommandLine {
  /** mtpd insists on a FunctionFS directory; the simulator has none, so it passes this placeholder. */
  private static final String NO_FUNCTIONFS = "/nonexistent/device-sim-uses-usbip";

  /**
   * The simulator always runs the demo backup (its own registrations, volumes and owners beside
   * the demo storage); a deployment's backup configuration belongs to mtpd.
   */
  static final String NO_BACKUP_OPTIONS = "device-sim runs its own demo backup owners and takes no --backup-* options;"
      + " use mtpd (mtp-device) to serve your own registrations";

  private SimCommandLine() {}

  /**
   * device-sim's command: the simulator's options, then mtpd's device options (the same
   * parser, so storages, identity and the config file behave exactly as for mtpd). mtpd's
   * --functionfs and --backup-* options are accepted by the parser but not listed, so they can be
   * refused with the reason.
   */
  static CommandSpec command() {
    CommandSpec spec = CommandLines.command("device-sim", Mtpd.VERSION,
        List.of("java -jar device-sim.jar [--storage NAME=PATH[:ro] ...] [options]", "       java -jar device-sim.jar --demo"),
        "Starts the simulated MTP device and exports it over USB/IP, so a Linux PC can attach it with",
        "'usbip attach'. Without --storage it serves the demo folder (created with sample files on first",
        "run in " + DemoContent.describeDefaultFolder() + ").");
    spec.usageMessage().optionListHeading("%nSimulator options:%n");
    spec.addOption(flag("--demo", "no USB/IP, no root: an in-JVM host attaches, prints what it sees"
        + " (device info, storages, files, one file fetched and verified), exits 0"));
    spec.addOption(value("--usbip-address", "ADDR", "address to listen on (default 127.0.0.1; anything else is reachable"
        + " from other machines and USB/IP has no authentication)"));
    spec.addOption(value("--usbip-port", "PORT", "TCP port (default 3240, the USB/IP standard port)"));
    spec.addOption(value("--busid", "ID", "bus id to export (default 1-1)"));
    spec.addOption(value("--speed", "full|high|super", "simulated bus speed: bulk packets of 64, 512 or 1024 bytes (default high)"));
    spec.addOption(value("--usb-vid", "HEX", "USB vendor id (default 0x1209, as udev-rules/)"));
    spec.addOption(value("--usb-pid", "HEX", "USB product id (default 0x000c, as udev-rules/)"));
    spec.addArgGroup(section("Device options (mtpd's; only these can be in the --config file):",
        MtpdCommandLine.deviceOptions().toArray(OptionSpec[]::new)));
    spec.addOption(hidden(value("--functionfs", "DIR")));
    for (ArgSpec backup : MtpdCommandLine.backupSection().args()) spec.addOption(hidden((OptionSpec) backup));
    CommandLines.footer(spec,
        "--log-level is warn with --demo unless given. mtpd's --backup-* options are refused: the simulator",
        "always runs its demo backup owners (see device-sim/README.md).",
        "Exit status: 0 on a clean stop (Ctrl-C/SIGTERM) or a successful --demo, 1 when a storage or the",
        "port cannot be used or the demo failed, 2 for a bad option.");
    return spec;
  }

  static String usage() {
    return CommandLines.usage(command());
  }

  /** What the command line asked for: run with these options, or print the help or the version. */
  record Parsed(SimOptions options, boolean help, boolean version) {}

  static Parsed parse(String[] args) throws UsageException {
    CommandSpec spec = command();
    ParseResult result = MtpdCommandLine.parseCommandLine(spec, args);
    if (result.isUsageHelpRequested()) return new Parsed(null, true, false);
    if (result.isVersionHelpRequested()) return new Parsed(null, false, true);
    Map<String, String> cli = CommandLines.singleValues(result);
    if (cli.containsKey("functionfs")) {
      throw new UsageException("device-sim has no FunctionFS: it serves over USB/IP (see --usbip-address/--usbip-port); use mtpd for a real gadget");
    }
    for (OptionSpec o : result.matchedOptions()) {
      if (CommandLines.key(o).startsWith("backup-")) throw new UsageException(o.longestName() + ": " + NO_BACKUP_OPTIONS);
    }
    boolean demo = cli.containsKey("demo");
    StorageSpec demoStorage = new StorageSpec(DemoContent.STORAGE_NAME, DemoContent.defaultFolder(), false);
    Map<String, List<String>> defaults = Map.of(
        "functionfs", List.of(NO_FUNCTIONFS),
        "storage", List.of(demoStorage.toString()));
    Map<String, String> overrides = demo ? Map.of("log-level", "warn") : Map.of();
    MtpdOptions device = MtpdCommandLine.options(spec, result, defaults, overrides, MtpdCommandLine::machineSerial);
    if (device.backup() != null) throw new UsageException("the config file's backup-* keys: " + NO_BACKUP_OPTIONS);
    boolean servesDemo = !result.hasMatchedOption("--storage") && device.storages().equals(List.of(demoStorage));
    return new Parsed(new SimOptions(device, servesDemo,
        socketAddress(cli.getOrDefault("usbip-address", "127.0.0.1"), cli.getOrDefault("usbip-port", String.valueOf(UsbIpProtocol.DEFAULT_PORT))),
        checkBusId(cli.getOrDefault("busid", ExportedDevice.DEFAULT_BUSID)), speed(cli.getOrDefault("speed", "high")),
        hex16("--usb-vid", cli.getOrDefault("usb-vid", "0x1209")), hex16("--usb-pid", cli.getOrDefault("usb-pid", "0x000c")), demo), false, false);
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
