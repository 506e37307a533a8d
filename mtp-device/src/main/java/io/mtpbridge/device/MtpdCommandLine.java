package io.mtpbridge.device;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads mtpd's options from the command line and an optional config file. The file is a Java
 * properties file with the same names as the long options (without the dashes); storages are
 * {@code storage.<n> = NAME=PATH[:ro]}, served in the order of {@code <n>}. A value given on the
 * command line wins over the file; storages given on the command line replace the file's.
 */
public final class MtpdCommandLine {
  static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");
  static final String USAGE = String.join("\n",
      "usage: java -jar mtpd.jar --functionfs DIR --storage NAME=PATH[:ro] [--storage ...] [options]",
      "",
      "  --functionfs DIR        mounted FunctionFS instance of the gadget's ffs function (has ep0)",
      "  --storage NAME=PATH[:ro] a folder the host sees as a storage called NAME; :ro = read-only;",
      "                          repeat for more storages",
      "  --manufacturer TEXT     DeviceInfo manufacturer (default \"MTP Bridge\")",
      "  --model TEXT            DeviceInfo model (default \"MTP Bridge device\")",
      "  --serial TEXT           DeviceInfo serial number; use the gadget's USB serial (default: from /etc/machine-id)",
      "  --device-version TEXT   DeviceInfo device version (default: mtpd's version)",
      "  --friendly-name TEXT    initial device friendly name (default: the model)",
      "  --friendly-name-file F  keep a friendly name set by the host in F across restarts",
      "  --config FILE           read options from FILE (properties: functionfs=..., storage.1=NAME=PATH[:ro], ...);",
      "                          command-line options win",
      "  --log-level LEVEL       error, warn, info (default), debug or trace",
      "  --help                  print this help",
      "",
      "Exit status: 0 after SIGTERM/SIGINT (clean stop), 1 when the FunctionFS directory or a storage",
      "cannot be used, 2 for a bad option.");

  private static final Map<String, Boolean> OPTIONS = new LinkedHashMap<>();

  static {
    // option name -> takes a value
    for (String o : List.of("functionfs", "storage", "manufacturer", "model", "serial", "device-version",
        "friendly-name", "friendly-name-file", "config", "log-level")) {
      OPTIONS.put(o, true);
    }
    OPTIONS.put("help", false);
  }

  private MtpdCommandLine() {}

  /** Result of parsing: options, or a request for help. */
  public record Parsed(MtpdOptions options, boolean help) {}

  public static Parsed parse(String[] args) throws UsageException {
    return parse(args, MtpdCommandLine::machineSerial);
  }

  static Parsed parse(String[] args, Supplier<String> defaultSerial) throws UsageException {
    Map<String, String> cli = new LinkedHashMap<>();
    List<String> cliStorages = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument \"" + arg + "\": options start with -- (see --help)");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Boolean takesValue = OPTIONS.get(name);
      if (takesValue == null) throw new UsageException("unknown option --" + name + " (see --help for the list)");
      if (!takesValue) {
        if (value != null) throw new UsageException("--" + name + " takes no value");
        if (name.equals("help")) return new Parsed(null, true);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value (see --help)");
        value = args[++i];
      }
      if (name.equals("storage")) cliStorages.add(value);
      else if (cli.put(name, value) != null) throw new UsageException("--" + name + " given twice");
    }

    Map<String, String> file = new LinkedHashMap<>();
    List<String> fileStorages = new ArrayList<>();
    String config = cli.get("config");
    if (config != null) readConfig(Path.of(config), file, fileStorages);

    Map<String, String> merged = new LinkedHashMap<>(file);
    merged.putAll(cli);
    List<String> storageTexts = cliStorages.isEmpty() ? fileStorages : cliStorages;

    String functionFs = merged.get("functionfs");
    if (functionFs == null || functionFs.isBlank()) {
      throw new UsageException("no FunctionFS directory: give --functionfs DIR (where the gadget's ffs instance is mounted, e.g. /dev/ffs-mtp)");
    }
    if (storageTexts.isEmpty()) {
      throw new UsageException("no storage to serve: give at least one --storage NAME=PATH[:ro] (e.g. --storage Internal=/srv/mtp)");
    }
    List<StorageSpec> storages = new ArrayList<>();
    for (String s : storageTexts) {
      StorageSpec spec = StorageSpec.parse(s);
      for (StorageSpec other : storages) {
        if (other.name().equals(spec.name())) throw new UsageException("two storages are called \"" + spec.name() + "\": give each a different NAME");
      }
      storages.add(spec);
    }
    String level = merged.getOrDefault("log-level", "info").toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(level)) throw new UsageException("log level \"" + merged.get("log-level") + "\" is not one of error, warn, info, debug, trace");
    String serial = merged.get("serial");
    if (serial == null) serial = defaultSerial.get();
    String manufacturer = nonEmpty(merged, "manufacturer", "MTP Bridge");
    String model = nonEmpty(merged, "model", "MTP Bridge device");
    if (serial.isBlank()) throw new UsageException("--serial must not be empty: hosts tell devices apart by it");
    String nameFile = merged.get("friendly-name-file");
    return new Parsed(new MtpdOptions(Path.of(functionFs), storages, manufacturer, model, serial.strip(),
        merged.getOrDefault("device-version", Mtpd.VERSION), merged.get("friendly-name"),
        nameFile == null ? null : Path.of(nameFile), level), false);
  }

  private static String nonEmpty(Map<String, String> m, String key, String fallback) throws UsageException {
    String v = m.get(key);
    if (v == null) return fallback;
    if (v.isBlank()) throw new UsageException("--" + key + " must not be empty: hosts show it to people");
    return v.strip();
  }

  private static void readConfig(Path path, Map<String, String> values, List<String> storages) throws UsageException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new UsageException("config file " + path + " does not exist: fix --config or create it");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read config file " + path + ": " + e.getMessage());
    }
    List<String> storageKeys = new ArrayList<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("storage.") && key.length() > "storage.".length()) {
        storageKeys.add(key);
        continue;
      }
      if (key.equals("storage")) {
        throw new UsageException("config file " + path + ": write storages as storage.1 = NAME=PATH[:ro], storage.2 = ... (one key each)");
      }
      if (!OPTIONS.containsKey(key) || key.equals("config") || key.equals("help")) {
        throw new UsageException("config file " + path + ": unknown key \"" + key + "\" (keys are the long option names, e.g. functionfs, serial, storage.1)");
      }
      values.put(key, p.getProperty(key).strip());
    }
    storageKeys.sort(Comparator.comparing((String k) -> suffixNumber(k)).thenComparing(k -> k));
    for (String k : storageKeys) storages.add(p.getProperty(k).strip());
  }

  private static long suffixNumber(String key) {
    try {
      return Long.parseLong(key.substring("storage.".length()));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** A stable serial for this machine, so hosts recognise the device across restarts. */
  static String machineSerial() {
    for (String f : List.of("/etc/machine-id", "/var/lib/dbus/machine-id")) {
      try {
        String id = Files.readString(Path.of(f)).strip();
        if (id.length() >= 16) return id.substring(0, 16).toUpperCase(Locale.ROOT);
      } catch (IOException | RuntimeException ignored) {
        // try the next
      }
    }
    return "0000000000000001";
  }
}
