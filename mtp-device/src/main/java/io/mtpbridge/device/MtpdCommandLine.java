package io.mtpbridge.device;

import static io.mtpbridge.cli.CommandLines.flag;
import static io.mtpbridge.cli.CommandLines.repeatable;
import static io.mtpbridge.cli.CommandLines.section;
import static io.mtpbridge.cli.CommandLines.value;

import io.mtpbridge.cli.CommandLines;
import io.mtpbridge.core.responder.DeviceIdentity;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Reads mtpd's options from the command line (picocli, set up by the project's command-line
 * module) and an optional config file. The file is a Java properties file whose keys are the long
 * option names without the dashes; repeatable options are numbered there: storages are
 * {@code storage.<n> = NAME=PATH[:ro][:uid=..][:gid=..][:file-mode=..][:folder-mode=..]} (see
 * {@link StorageSpec}), served in the order of {@code <n>}, and backup volumes
 * {@code backup-volume.<n> = NAME=PATH}. A value given on the command line wins over the file;
 * storages (or backup volumes) given on the command line replace the file's.
 *
 * <p>To add an option: declare it in {@link #deviceOptions} (or the backup section), and read
 * it from the merged values in {@link #options}. The config file accepts it at once under its
 * long name; device-sim's command line gets it too.
 */
public final class MtpdCommandLine {
  static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

  static final String FUNCTIONFS = "functionfs";
  static final String STORAGE = "storage";
  static final String CONFIG = "config";
  private static final String BACKUP_REGISTRATIONS = "backup-registrations";
  private static final String BACKUP_VOLUME = "backup-volume";
  private static final String ANDROID_EXTENSION = "android-extension";
  /** Keys that only make sense on the command line. */
  private static final Set<String> COMMAND_LINE_ONLY = Set.of(CONFIG, "help", "version");

  private MtpdCommandLine() {}

  /** What the command line asked for: run with these options, or print the help or the version. */
  public record Parsed(MtpdOptions options, boolean help, boolean version) {
    public Parsed(MtpdOptions options, boolean help) {
      this(options, help, false);
    }
  }

  /**
   * What picocli need not set up for mtpd (its system property {@code picocli.converters.excludes},
   * regular expressions of class names): every mtpd option is text, a list of text or a flag, so
   * its converters for java.time and java.sql types are never used, yet picocli finds them by
   * reflection, initialising those classes (java.time's formatters, JDBC's driver manager) for
   * every command line it parses: a noticeable part of mtpd's start on a small board.
   */
  static final String UNUSED_CONVERTERS = "java\\.time\\..*,java\\.sql\\..*";

  /** mtpd's command: every option with its help text. */
  public static CommandSpec command() {
    if (System.getProperty("picocli.converters.excludes") == null) System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
    CommandSpec spec = CommandLines.command("mtpd", Mtpd.VERSION,
        List.of("java -jar mtpd.jar --functionfs DIR --storage NAME=PATH[:ro] [--storage ...] [options]"),
        "Serves folders as MTP storages on a Linux USB gadget (FunctionFS); see mtp-device/README.md.");
    spec.addOption(value("--" + FUNCTIONFS, "DIR", "mounted FunctionFS instance of the gadget's ffs function (has ep0)"));
    // loops, not lambdas, wherever picocli's classes are in a lambda's signature: the class-data
    // archive skips a picocli class (old class-file version) that the dump had to link for one,
    // and it is then loaded from the jar and verified at every start
    for (OptionSpec o : deviceOptions()) spec.addOption(o);
    spec.addArgGroup(backupSection());
    CommandLines.footer(spec,
        "Exit status: 0 after SIGTERM/SIGINT (clean stop), 1 when the FunctionFS directory, a storage or",
        "a backup directory cannot be used, the locale is not UTF-8 (run with LC_ALL=C.UTF-8) or serving",
        "cannot go on safely, 2 for a bad option.");
    return spec;
  }

  /**
   * The options that describe the device (storages, identity, config file, log level), shared
   * with device-sim's command line.
   */
  public static List<OptionSpec> deviceOptions() {
    return List.of(
        repeatable("--" + STORAGE, "NAME=PATH[:ro]",
            "a folder the host sees as a storage called NAME; :ro = read-only; repeat for more storages."
                + " What the host creates there gets, with :uid=USER :gid=GROUP :file-mode=0644 :folder-mode=02775 after PATH,"
                + " that owner, group and mode (default: what a normal creation gives, 0666/0777 minus mtpd's umask;"
                + " other owners need root)"),
        value("--manufacturer", "TEXT", "DeviceInfo manufacturer (default \"MTP Bridge\")"),
        value("--model", "TEXT", "DeviceInfo model (default \"MTP Bridge device\")"),
        value("--serial", "TEXT", "DeviceInfo serial number; use the gadget's USB serial (default: derived from"
            + " /etc/machine-id as mtp-gadget derives it; required when there is none)"),
        value("--device-version", "TEXT", "DeviceInfo device version (default: mtpd's version)"),
        value("--friendly-name", "TEXT", "initial device friendly name (default: the model)"),
        value("--friendly-name-file", "FILE", "keep a friendly name set by the host in FILE across restarts, and object"
            + " references (playlists) in object-references next to FILE; without it GetObjectReferences/SetObjectReferences"
            + " are not offered"),
        value("--" + CONFIG, "FILE",
            "read options from FILE (properties: functionfs=..., storage.1=NAME=PATH[:ro], ...); command-line options win"),
        value("--log-level", "LEVEL", "error, warn, info (default), debug or trace"),
        flag("--" + ANDROID_EXTENSION, "also advertise android.com: 1.0; in DeviceInfo, so go-mtpfs writes files in place"
            + " with the Android edit operations (libmtp then applies its Android quirks); in the config file: true or false"));
  }

  /** The backup bridge's options, under their own heading. */
  public static ArgGroupSpec backupSection() {
    return section("Backup bridge (off unless --backup-registrations is given; see mtp-device/README.md):",
        value("--" + BACKUP_REGISTRATIONS, "DIR",
            "owner registration files (*.xml); turns the Backup storage and the vendor backup operations on"),
        repeatable("--" + BACKUP_VOLUME, "NAME=PATH", "a volume the registrations name; repeatable, at least one"),
        value("--backup-staging", "DIR", "where backups and restores are staged (default " + BackupOptions.DEFAULT_STAGING + ")"),
        value("--backup-staging-limit", "SIZE", "most the staging may hold, e.g. 8G, 512M (default 8G)"),
        value("--backup-socket", "PATH", "Unix socket for data owners in other processes (default: none, in-process owners only)"),
        value("--backup-ready-timeout", "SECONDS", "how long owners have to confirm readiness (default 30)"));
  }

  /** mtpd's help text. */
  static String usage() {
    return CommandLines.usage(command());
  }

  public static Parsed parse(String[] args) throws UsageException {
    return parse(args, MtpdCommandLine::machineSerial);
  }

  static Parsed parse(String[] args, Supplier<String> defaultSerial) throws UsageException {
    CommandSpec spec = command();
    ParseResult result = parseCommandLine(spec, args);
    if (result.isUsageHelpRequested()) return new Parsed(null, true, false);
    if (result.isVersionHelpRequested()) return new Parsed(null, false, true);
    return new Parsed(options(spec, result, Map.of(), Map.of(), defaultSerial), false, false);
  }

  /** picocli's parse with the house error style, as mtpd's {@link UsageException}. */
  public static ParseResult parseCommandLine(CommandSpec spec, String[] args) throws UsageException {
    try {
      return CommandLines.parse(spec, args);
    } catch (io.mtpbridge.cli.UsageException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * Merges the command line of {@code spec} (mtpd's device options, maybe among others) with
   * the config file it names, and checks every value.
   *
   * @param defaults values used when neither the command line nor the file gives them (device-sim
   *     passes its placeholder FunctionFS directory and its demo storage), by key
   * @param overrides values that win over the file as if given on the command line, unless the
   *     command line gives them (device-sim's quieter log level for --demo)
   */
  public static MtpdOptions options(CommandSpec spec, ParseResult result, Map<String, List<String>> defaults,
                                    Map<String, String> overrides, Supplier<String> defaultSerial) throws UsageException {
    Map<String, String> cli = CommandLines.singleValues(result);
    Map<String, List<String>> cliLists = CommandLines.listValues(result);
    Map<String, String> file = new LinkedHashMap<>();
    Map<String, List<String>> fileLists = new LinkedHashMap<>();
    String config = cli.get(CONFIG);
    if (config != null) readConfig(spec, Path.of(config), file, fileLists);

    Map<String, String> merged = new LinkedHashMap<>();
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> d : defaults.entrySet()) {
      if (isRepeatable(spec, d.getKey())) lists.put(d.getKey(), d.getValue());
      else merged.put(d.getKey(), d.getValue().get(0));
    }
    merged.putAll(file);
    merged.putAll(overrides);
    merged.putAll(cli);
    // a list given on the command line replaces the file's list
    lists.putAll(fileLists);
    lists.putAll(cliLists);
    return options(merged, lists, defaultSerial);
  }

  private static MtpdOptions options(Map<String, String> merged, Map<String, List<String>> lists, Supplier<String> defaultSerial)
      throws UsageException {
    List<String> storageTexts = lists.getOrDefault(STORAGE, List.of());
    String functionFs = merged.get(FUNCTIONFS);
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
    if (serial == null) {
      throw new UsageException("no serial number: this machine has no /etc/machine-id to derive one from;"
          + " give --serial (the gadget's USB serial, MTP_GADGET_SERIAL)");
    }
    String manufacturer = nonEmpty(merged, "manufacturer", "MTP Bridge");
    String model = nonEmpty(merged, "model", "MTP Bridge device");
    if (serial.isBlank()) throw new UsageException("--serial must not be empty: hosts tell devices apart by it");
    String nameFile = merged.get("friendly-name-file");
    BackupOptions backup = backupOptions(merged, lists.getOrDefault(BACKUP_VOLUME, List.of()));
    boolean android = flagValue(merged, ANDROID_EXTENSION);
    return new MtpdOptions(Path.of(functionFs), storages, manufacturer, model, serial.strip(),
        merged.getOrDefault("device-version", Mtpd.VERSION), merged.get("friendly-name"),
        nameFile == null ? null : Path.of(nameFile), level, backup, android);
  }

  /** The backup bridge's options, or null when it is off (no --backup-registrations). */
  private static BackupOptions backupOptions(Map<String, String> m, List<String> volumeTexts) throws UsageException {
    String registrations = m.get(BACKUP_REGISTRATIONS);
    if (registrations == null) {
      for (String key : m.keySet()) {
        if (key.startsWith("backup-")) {
          throw new UsageException("--" + key + " needs --" + BACKUP_REGISTRATIONS + " DIR, which turns the backup bridge on");
        }
      }
      if (!volumeTexts.isEmpty()) throw new UsageException("--" + BACKUP_VOLUME + " needs --" + BACKUP_REGISTRATIONS + " DIR, which turns the backup bridge on");
      return null;
    }
    if (registrations.isBlank()) throw new UsageException("--" + BACKUP_REGISTRATIONS + " must name the directory of owner registration files");
    if (volumeTexts.isEmpty()) {
      throw new UsageException("the backup bridge has no volume: give at least one --" + BACKUP_VOLUME
          + " NAME=PATH (the volume names the registrations use, e.g. --backup-volume internal=/data)");
    }
    Map<String, Path> volumes = new LinkedHashMap<>();
    for (String text : volumeTexts) {
      int eq = text.indexOf('=');
      String name = eq > 0 ? text.substring(0, eq).strip() : "";
      String path = eq > 0 ? text.substring(eq + 1).strip() : "";
      if (name.isEmpty() || path.isEmpty()) {
        throw new UsageException("backup volume \"" + text + "\" is not NAME=PATH (for example internal=/data or sdcard=/media/sd)");
      }
      if (volumes.put(name, Path.of(path)) != null) {
        throw new UsageException("two backup volumes are called \"" + name + "\": give each a different NAME");
      }
    }
    String staging = m.get("backup-staging");
    if (staging != null && staging.isBlank()) throw new UsageException("--backup-staging must name a directory");
    String limit = m.get("backup-staging-limit");
    String socket = m.get("backup-socket");
    if (socket != null && socket.isBlank()) throw new UsageException("--backup-socket must name a socket path (leave it out for in-process owners only)");
    String timeout = m.get("backup-ready-timeout");
    return new BackupOptions(Path.of(registrations.strip()), volumes,
        staging == null ? BackupOptions.DEFAULT_STAGING : Path.of(staging.strip()),
        limit == null ? BackupOptions.DEFAULT_STAGING_LIMIT : parseSize("--backup-staging-limit", limit),
        socket == null ? null : Path.of(socket.strip()),
        timeout == null ? BackupOptions.DEFAULT_READY_TIMEOUT : Duration.ofSeconds(parseSeconds("--backup-ready-timeout", timeout)));
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:I?B)?|B)?");

  /** A byte count: digits with an optional K, M, G or T suffix (powers of 1024; KiB and KB alike). */
  static long parseSize(String option, String text) throws UsageException {
    Matcher mt = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
    if (!mt.matches()) {
      throw new UsageException(option + " \"" + text + "\" is not a size: write a number of bytes with an optional K, M, G or T, e.g. 8G or 512M");
    }
    int shift = mt.group(2) == null ? 0 : 10 * ("KMGT".indexOf(mt.group(2)) + 1);
    long value;
    try {
      value = Long.parseLong(mt.group(1));
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0 || value > (Long.MAX_VALUE >> shift)) throw new UsageException(option + " \"" + text + "\" is too large");
    if (value == 0) throw new UsageException(option + " must be more than 0 bytes (e.g. 8G)");
    return value << shift;
  }

  private static long parseSeconds(String option, String text) throws UsageException {
    long s;
    try {
      s = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(option + " \"" + text + "\" is not a whole number of seconds (e.g. 30)");
    }
    if (s <= 0 || s > 86_400) throw new UsageException(option + " must be between 1 and 86400 seconds, not " + s);
    return s;
  }

  /** A flag: given on the command line, or {@code true}/{@code false} in the config file. */
  private static boolean flagValue(Map<String, String> m, String key) throws UsageException {
    String v = m.get(key);
    if (v == null) return false;
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new UsageException(key + " = \"" + v + "\" is neither true nor false");
    };
  }

  private static String nonEmpty(Map<String, String> m, String key, String fallback) throws UsageException {
    String v = m.get(key);
    if (v == null) return fallback;
    if (v.isBlank()) throw new UsageException("--" + key + " must not be empty: hosts show it to people");
    return v.strip();
  }

  private static boolean isRepeatable(CommandSpec spec, String key) {
    OptionSpec o = spec.findOption("--" + key);
    return o != null && o.isMultiValue();
  }

  /**
   * Reads the config file: a key is one of mtpd's long option names (of the options in
   * {@code spec} that are mtpd's: device-sim's own options are command-line only).
   */
  private static void readConfig(CommandSpec spec, Path path, Map<String, String> values, Map<String, List<String>> lists) throws UsageException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new UsageException("config file " + path + " does not exist: fix --config or create it");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read config file " + path + ": " + e.getMessage());
    }
    Set<String> keys = configKeys();
    Map<String, List<String>> listKeys = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      int dot = key.lastIndexOf('.');
      String base = dot > 0 ? key.substring(0, dot) : key;
      if (dot > 0 && dot < key.length() - 1 && isRepeatable(spec, base) && keys.contains(base)) {
        listKeys.computeIfAbsent(base, k -> new ArrayList<>()).add(key);
        continue;
      }
      if (isRepeatable(spec, key) && keys.contains(key)) {
        String example = spec.findOption("--" + key).paramLabel();
        String what = key.replace('-', ' ') + "s";
        throw new UsageException("config file " + path + ": write " + what + " as " + key + ".1 = " + example + ", " + key
            + ".2 = ... (one key each)");
      }
      if (!keys.contains(key)) {
        throw new UsageException("config file " + path + ": unknown key \"" + key + "\" (keys are the long option names, e.g. functionfs, serial, storage.1)");
      }
      values.put(key, p.getProperty(key).strip());
    }
    for (Map.Entry<String, List<String>> e : listKeys.entrySet()) {
      List<String> numbered = e.getValue();
      numbered.sort(Comparator.comparing((String k) -> suffixNumber(k)).thenComparing(k -> k));
      List<String> items = new ArrayList<>();
      for (String k : numbered) items.add(p.getProperty(k).strip());
      lists.put(e.getKey(), items);
    }
  }

  /** The keys a config file may hold: mtpd's long option names, less the command-line-only ones. */
  private static Set<String> configKeys() {
    Set<String> keys = new java.util.HashSet<>();
    for (OptionSpec o : command().options()) keys.add(CommandLines.key(o));
    keys.removeAll(COMMAND_LINE_ONLY);
    return keys;
  }

  private static long suffixNumber(String key) {
    try {
      return Long.parseLong(key.substring(key.lastIndexOf('.') + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * A stable serial for this machine, so hosts recognise the device across restarts, derived
   * (hashed) from the machine-id as udev-rules/gadget/mtp-gadget derives the USB serial; null when
   * the machine has no id (then --serial is required: devices must not share a serial).
   */
  public static String machineSerial() { return DeviceIdentity.machineSerial().orElse(null); }
}
