package io.mtpbridge.device;

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

/**
 * Reads mtpd's options from the command line and an optional config file. The file is a Java
 * properties file with the same names as the long options (without the dashes); storages are
 * {@code storage.<n> = NAME=PATH[:ro][:uid=..][:gid=..][:file-mode=..][:folder-mode=..]} (see
 * {@link StorageSpec}), served in the order of {@code <n>}, and backup volumes
 * {@code backup-volume.<n> = NAME=PATH}. A value given on the command line wins over the file;
 * storages (or backup volumes) given on the command line replace the file's.
 */
public final class MtpdCommandLine {
  static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");
  static final String USAGE = String.join("\n",
      "usage: java -jar mtpd.jar --functionfs DIR --storage NAME=PATH[:ro] [--storage ...] [options]",
      "",
      "  --functionfs DIR        mounted FunctionFS instance of the gadget's ffs function (has ep0)",
      "  --storage NAME=PATH[:ro] a folder the host sees as a storage called NAME; :ro = read-only;",
      "                          repeat for more storages. What the host creates there gets, with",
      "                          :uid=USER :gid=GROUP :file-mode=0644 :folder-mode=02775 after PATH,",
      "                          that owner, group and mode (default: what a normal creation gives,",
      "                          0666/0777 minus mtpd's umask; other owners need root)",
      "  --manufacturer TEXT     DeviceInfo manufacturer (default \"MTP Bridge\")",
      "  --model TEXT            DeviceInfo model (default \"MTP Bridge device\")",
      "  --serial TEXT           DeviceInfo serial number; use the gadget's USB serial (default: derived from",
      "                          /etc/machine-id as mtp-gadget derives it; required when there is none)",
      "  --device-version TEXT   DeviceInfo device version (default: mtpd's version)",
      "  --friendly-name TEXT    initial device friendly name (default: the model)",
      "  --friendly-name-file F  keep a friendly name set by the host in F across restarts, and object",
      "                          references (playlists) in object-references next to F; without it",
      "                          GetObjectReferences/SetObjectReferences are not offered",
      "  --config FILE           read options from FILE (properties: functionfs=..., storage.1=NAME=PATH[:ro], ...);",
      "                          command-line options win",
      "  --log-level LEVEL       error, warn, info (default), debug or trace",
      "  --android-extension     also advertise android.com: 1.0; in DeviceInfo, so go-mtpfs writes files in place",
      "                          with the Android edit operations (libmtp then applies its Android quirks)",
      "  --help                  print this help",
      "",
      "Backup bridge (off unless --backup-registrations is given; see mtp-device/README.md):",
      "  --backup-registrations DIR  owner registration files (*.xml); turns the Backup storage and the",
      "                          vendor backup operations on",
      "  --backup-volume NAME=PATH a volume the registrations name; repeatable, at least one",
      "  --backup-staging DIR    where backups and restores are staged (default " + BackupOptions.DEFAULT_STAGING + ")",
      "  --backup-staging-limit SIZE  most the staging may hold, e.g. 8G, 512M (default 8G)",
      "  --backup-socket PATH    Unix socket for data owners in other processes (default: none,",
      "                          in-process owners only)",
      "  --backup-ready-timeout SECONDS  how long owners have to confirm readiness (default 30)",
      "",
      "Exit status: 0 after SIGTERM/SIGINT (clean stop), 1 when the FunctionFS directory, a storage or",
      "a backup directory cannot be used, the locale is not UTF-8 (run with LC_ALL=C.UTF-8) or serving",
      "cannot go on safely, 2 for a bad option.");

  private static final String BACKUP_REGISTRATIONS = "backup-registrations";
  private static final String ANDROID_EXTENSION = "android-extension";
  private static final String BACKUP_VOLUME = "backup-volume";
  /** Options that are given once per item; the config file numbers them: storage.1, backup-volume.1, ... */
  private static final List<String> REPEATABLE = List.of("storage", BACKUP_VOLUME);
  private static final Map<String, Boolean> OPTIONS = new LinkedHashMap<>();

  static {
    // option name -> takes a value
    for (String o : List.of("functionfs", "storage", "manufacturer", "model", "serial", "device-version",
        "friendly-name", "friendly-name-file", "config", "log-level", BACKUP_REGISTRATIONS, BACKUP_VOLUME,
        "backup-staging", "backup-staging-limit", "backup-socket", "backup-ready-timeout")) {
      OPTIONS.put(o, true);
    }
    OPTIONS.put("help", false);
    OPTIONS.put(ANDROID_EXTENSION, false);
  }

  private MtpdCommandLine() {}

  /** Result of parsing: options, or a request for help. */
  public record Parsed(MtpdOptions options, boolean help) {}

  public static Parsed parse(String[] args) throws UsageException {
    return parse(args, MtpdCommandLine::machineSerial);
  }

  static Parsed parse(String[] args, Supplier<String> defaultSerial) throws UsageException {
    Map<String, String> cli = new LinkedHashMap<>();
    Map<String, List<String>> cliLists = new LinkedHashMap<>();
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
        if (cli.put(name, "true") != null) throw new UsageException("--" + name + " given twice");
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value (see --help)");
        value = args[++i];
      }
      if (REPEATABLE.contains(name)) cliLists.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      else if (cli.put(name, value) != null) throw new UsageException("--" + name + " given twice");
    }

    Map<String, String> file = new LinkedHashMap<>();
    Map<String, List<String>> fileLists = new LinkedHashMap<>();
    String config = cli.get("config");
    if (config != null) readConfig(Path.of(config), file, fileLists);

    Map<String, String> merged = new LinkedHashMap<>(file);
    merged.putAll(cli);
    // a list given on the command line replaces the file's list
    Map<String, List<String>> lists = new LinkedHashMap<>(fileLists);
    lists.putAll(cliLists);
    List<String> storageTexts = lists.getOrDefault("storage", List.of());

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
    if (serial == null) {
      throw new UsageException("no serial number: this machine has no /etc/machine-id to derive one from;"
          + " give --serial (the gadget's USB serial, MTP_GADGET_SERIAL)");
    }
    String manufacturer = nonEmpty(merged, "manufacturer", "MTP Bridge");
    String model = nonEmpty(merged, "model", "MTP Bridge device");
    if (serial.isBlank()) throw new UsageException("--serial must not be empty: hosts tell devices apart by it");
    String nameFile = merged.get("friendly-name-file");
    BackupOptions backup = backupOptions(merged, lists.getOrDefault(BACKUP_VOLUME, List.of()));
    boolean android = flag(merged, ANDROID_EXTENSION);
    return new Parsed(new MtpdOptions(Path.of(functionFs), storages, manufacturer, model, serial.strip(),
        merged.getOrDefault("device-version", Mtpd.VERSION), merged.get("friendly-name"),
        nameFile == null ? null : Path.of(nameFile), level, backup, android), false);
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
  private static boolean flag(Map<String, String> m, String key) throws UsageException {
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

  private static void readConfig(Path path, Map<String, String> values, Map<String, List<String>> lists) throws UsageException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new UsageException("config file " + path + " does not exist: fix --config or create it");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read config file " + path + ": " + e.getMessage());
    }
    Map<String, List<String>> listKeys = new LinkedHashMap<>();
    keys:
    for (String key : p.stringPropertyNames()) {
      for (String list : REPEATABLE) {
        if (key.startsWith(list + ".") && key.length() > list.length() + 1) {
          listKeys.computeIfAbsent(list, k -> new ArrayList<>()).add(key);
          continue keys;
        }
      }
      if (key.equals("storage")) {
        throw new UsageException("config file " + path + ": write storages as storage.1 = NAME=PATH[:ro], storage.2 = ... (one key each)");
      }
      if (key.equals(BACKUP_VOLUME)) {
        throw new UsageException("config file " + path + ": write backup volumes as backup-volume.1 = NAME=PATH, backup-volume.2 = ... (one key each)");
      }
      if (!OPTIONS.containsKey(key) || key.equals("config") || key.equals("help")) {
        throw new UsageException("config file " + path + ": unknown key \"" + key + "\" (keys are the long option names, e.g. functionfs, serial, storage.1)");
      }
      values.put(key, p.getProperty(key).strip());
    }
    for (Map.Entry<String, List<String>> e : listKeys.entrySet()) {
      List<String> keys = e.getValue();
      keys.sort(Comparator.comparing((String k) -> suffixNumber(k)).thenComparing(k -> k));
      List<String> items = new ArrayList<>();
      for (String k : keys) items.add(p.getProperty(k).strip());
      lists.put(e.getKey(), items);
    }
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
  static String machineSerial() { return DeviceIdentity.machineSerial().orElse(null); }
}
