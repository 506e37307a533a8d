package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtpdCommandLineTest {
  @TempDir Path dir;

  private static MtpdOptions parse(String... args) throws UsageException {
    return MtpdCommandLine.parse(args, () -> "MACHINE0123456789").options();
  }

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  @Test void minimalCommandLine() throws Exception {
    MtpdOptions o = parse("--functionfs", "/dev/ffs-mtp", "--storage", "Internal=/srv/mtp");
    assertEquals(Path.of("/dev/ffs-mtp"), o.functionFs());
    assertEquals(List.of(new StorageSpec("Internal", Path.of("/srv/mtp"), false)), o.storages());
    assertEquals("MTP Bridge", o.manufacturer());
    assertEquals("MTP Bridge device", o.model());
    assertEquals("MACHINE0123456789", o.serial());
    assertEquals("info", o.logLevel());
    assertNull(o.friendlyName());
  }

  @Test void everyOptionInBothSpellings() throws Exception {
    MtpdOptions o = parse("--functionfs=/f", "--storage", "A=/a", "--storage=Photos store=/p/q:ro",
        "--manufacturer", "Acme", "--model=Gadget 2", "--serial", "SN42", "--device-version", "3.1",
        "--friendly-name", "Kitchen", "--friendly-name-file", "/var/lib/mtpd/name", "--log-level", "DEBUG");
    assertEquals(2, o.storages().size());
    assertEquals(new StorageSpec("Photos store", Path.of("/p/q"), true), o.storages().get(1));
    assertEquals("Acme", o.manufacturer());
    assertEquals("Gadget 2", o.model());
    assertEquals("SN42", o.serial());
    assertEquals("3.1", o.deviceVersion());
    assertEquals("Kitchen", o.friendlyName());
    assertEquals(Path.of("/var/lib/mtpd/name"), o.friendlyNameFile());
    assertEquals("debug", o.logLevel());
  }

  @Test void helpAndVersionNeedNothingElse() throws Exception {
    assertTrue(MtpdCommandLine.parse(new String[] {"--help"}).help());
    assertTrue(MtpdCommandLine.parse(new String[] {"-h"}).help());
    assertTrue(MtpdCommandLine.parse(new String[] {"--version"}).version());
    assertFalse(MtpdCommandLine.parse(new String[] {"--version"}).help());
  }

  @Test void helpListsEveryOptionInItsSection() {
    String help = MtpdCommandLine.usage();
    for (String o : List.of("--functionfs=DIR", "--storage=NAME=PATH[:ro]", "--manufacturer", "--model", "--serial",
        "--device-version", "--friendly-name", "--friendly-name-file", "--config", "--log-level", "--help", "--version",
        "--backup-registrations", "--backup-volume", "--backup-staging", "--backup-staging-limit", "--backup-socket",
        "--backup-ready-timeout")) {
      assertTrue(help.contains(o), o + " in " + help);
    }
    assertTrue(help.indexOf("Backup bridge") < help.indexOf("--backup-registrations"), help);
    assertTrue(help.contains("Exit status: 0"), help);
  }

  @Test void missingOrBadOptionsNameTheProblem() {
    assertTrue(error("--storage", "A=/a").contains("--functionfs DIR"));
    assertTrue(error("--functionfs", "/f").contains("--storage NAME=PATH"));
    assertTrue(error("--functionfs", "/f", "--storage", "nopath").contains("is not NAME=PATH"));
    assertTrue(error("--functionfs", "/f", "--storage", "=/x").contains("is not NAME=PATH"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--storage", "A=/b").contains("two storages are called \"A\""));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--speed", "high").contains("unknown option --speed"));
    assertTrue(error("--functionfs").contains("--functionfs needs a value"));
    assertTrue(error("/dev/ffs").contains("unexpected argument"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--log-level", "loud").contains("not one of error"));
    assertTrue(error("--functionfs", "/f", "--functionfs", "/g", "--storage", "A=/a").contains("given twice"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--serial", " ").contains("--serial must not be empty"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--help=yes").contains("takes no value"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--backup-staging", "/s", "--backup-staging", "/t")
        .contains("--backup-staging given twice"), "options of the backup section too");
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--turbo=yes").contains("unknown option --turbo ("));
  }

  @Test void configFileWithCommandLineOverrides() throws Exception {
    Path cfg = dir.resolve("mtpd.conf");
    Files.writeString(cfg, String.join("\n",
        "# mtpd configuration",
        "functionfs = /dev/ffs-mtp",
        "storage.2 = Music=/srv/music:ro",
        "storage.1 = Internal storage=/srv/mtp",
        "storage.10 = Last=/srv/last",
        "manufacturer = Acme",
        "serial = FILE-SERIAL",
        "log-level = warn"));
    MtpdOptions fromFile = parse("--config", cfg.toString());
    assertEquals(Path.of("/dev/ffs-mtp"), fromFile.functionFs());
    assertEquals(List.of("Internal storage", "Music", "Last"), fromFile.storages().stream().map(StorageSpec::name).toList());
    assertTrue(fromFile.storages().get(1).readOnly());
    assertEquals("Acme", fromFile.manufacturer());
    assertEquals("FILE-SERIAL", fromFile.serial());
    assertEquals("warn", fromFile.logLevel());

    MtpdOptions overridden = parse("--config", cfg.toString(), "--serial", "CLI-SERIAL", "--storage", "Only=/only");
    assertEquals("CLI-SERIAL", overridden.serial());
    assertEquals("Acme", overridden.manufacturer());
    assertEquals(List.of(new StorageSpec("Only", Path.of("/only"), false)), overridden.storages(),
        "storages on the command line replace the file's");
  }

  @Test void configFileMistakesAreReported() throws Exception {
    assertTrue(error("--config", dir.resolve("missing.conf").toString()).contains("does not exist"));
    Path unknown = dir.resolve("unknown.conf");
    Files.writeString(unknown, "functionfs=/f\nstorage.1=A=/a\ncolour=blue\n");
    assertTrue(error("--config", unknown.toString()).contains("unknown key \"colour\""));
    Path single = dir.resolve("single.conf");
    Files.writeString(single, "functionfs=/f\nstorage=A=/a\n");
    assertTrue(error("--config", single.toString()).contains("storage.1 = NAME=PATH"));
    Path commandLineOnly = dir.resolve("cli-only.conf");
    Files.writeString(commandLineOnly, "functionfs=/f\nstorage.1=A=/a\nconfig=/other.conf\n");
    assertTrue(error("--config", commandLineOnly.toString()).contains("unknown key \"config\""));
    Path notRepeatable = dir.resolve("numbered.conf");
    Files.writeString(notRepeatable, "functionfs.1=/f\nstorage.1=A=/a\n");
    assertTrue(error("--config", notRepeatable.toString()).contains("unknown key \"functionfs.1\""));
  }

  @Test void withoutBackupRegistrationsTheBridgeIsOff() throws Exception {
    assertNull(parse("--functionfs", "/f", "--storage", "A=/a").backup());
  }

  @Test void backupOptionsAndTheirDefaults() throws Exception {
    MtpdOptions o = parse("--functionfs", "/f", "--storage", "A=/a", "--backup-registrations", "/etc/mtpbridge/backup.d",
        "--backup-volume", "internal=/data", "--backup-volume=sdcard=/media/sd");
    BackupOptions b = o.backup();
    assertEquals(Path.of("/etc/mtpbridge/backup.d"), b.registrations());
    assertEquals(List.of("internal", "sdcard"), List.copyOf(b.volumes().keySet()));
    assertEquals(Path.of("/media/sd"), b.volumes().get("sdcard"));
    assertEquals(BackupOptions.DEFAULT_STAGING, b.staging());
    assertEquals(8L << 30, b.stagingLimit());
    assertNull(b.socket(), "no owner socket unless asked for");
    assertEquals(Duration.ofSeconds(30), b.readyTimeout());

    BackupOptions all = parse("--functionfs", "/f", "--storage", "A=/a", "--backup-registrations", "/r",
        "--backup-volume", "internal=/data", "--backup-staging", "/var/lib/s", "--backup-staging-limit", "512M",
        "--backup-socket", "/run/mtpd/backup.sock", "--backup-ready-timeout", "5").backup();
    assertEquals(Path.of("/var/lib/s"), all.staging());
    assertEquals(512L << 20, all.stagingLimit());
    assertEquals(Path.of("/run/mtpd/backup.sock"), all.socket());
    assertEquals(Duration.ofSeconds(5), all.readyTimeout());
  }

  @Test void stagingSizes() throws Exception {
    assertEquals(1000, MtpdCommandLine.parseSize("--x", "1000"));
    assertEquals(1000, MtpdCommandLine.parseSize("--x", "1000B"));
    assertEquals(4L << 10, MtpdCommandLine.parseSize("--x", "4k"));
    assertEquals(8L << 30, MtpdCommandLine.parseSize("--x", "8G"));
    assertEquals(8L << 30, MtpdCommandLine.parseSize("--x", "8GiB"));
    assertEquals(2L << 40, MtpdCommandLine.parseSize("--x", "2 TB"));
    for (String bad : List.of("", "G", "8X", "-1G", "1.5G", "eight")) {
      assertTrue(assertThrows(UsageException.class, () -> MtpdCommandLine.parseSize("--x", bad)).getMessage().contains("is not a size"), bad);
    }
    assertTrue(assertThrows(UsageException.class, () -> MtpdCommandLine.parseSize("--x", "0")).getMessage().contains("more than 0"));
    assertTrue(assertThrows(UsageException.class, () -> MtpdCommandLine.parseSize("--x", "9999999999T")).getMessage().contains("too large"));
    assertTrue(assertThrows(UsageException.class, () -> MtpdCommandLine.parseSize("--x", "99999999999999999999")).getMessage().contains("too large"));
  }

  @Test void backupOptionMistakesNameTheProblem() {
    String[] base = {"--functionfs", "/f", "--storage", "A=/a"};
    java.util.function.Function<String[], String> err = extra -> {
      String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
      System.arraycopy(extra, 0, all, base.length, extra.length);
      return error(all);
    };
    assertTrue(err.apply(new String[] {"--backup-volume", "internal=/d"}).contains("--backup-volume needs --backup-registrations DIR"));
    assertTrue(err.apply(new String[] {"--backup-staging-limit", "8G"}).contains("--backup-staging-limit needs --backup-registrations DIR"));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r"}).contains("give at least one --backup-volume NAME=PATH"));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r", "--backup-volume", "internal"}).contains("is not NAME=PATH"));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r", "--backup-volume", "a=/x", "--backup-volume", "a=/y"})
        .contains("two backup volumes are called \"a\""));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r", "--backup-volume", "a=/x", "--backup-staging-limit", "lots"})
        .contains("--backup-staging-limit \"lots\" is not a size"));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r", "--backup-volume", "a=/x", "--backup-ready-timeout", "soon"})
        .contains("is not a whole number of seconds"));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r", "--backup-volume", "a=/x", "--backup-ready-timeout", "0"})
        .contains("between 1 and 86400"));
    assertTrue(err.apply(new String[] {"--backup-registrations", "/r", "--backup-volume", "a=/x", "--backup-socket", " "})
        .contains("--backup-socket must name"));
  }

  @Test void backupOptionsInTheConfigFile() throws Exception {
    Path cfg = dir.resolve("backup.conf");
    Files.writeString(cfg, String.join("\n",
        "functionfs = /dev/ffs-mtp",
        "storage.1 = Internal=/srv/mtp",
        "backup-registrations = /etc/mtpbridge/backup.d",
        "backup-volume.2 = sdcard=/media/sd",
        "backup-volume.1 = internal=/data",
        "backup-staging = /var/lib/mtpd/staging",
        "backup-staging-limit = 2G",
        "backup-socket = /run/mtpd/backup-engine.sock",
        "backup-ready-timeout = 10"));
    BackupOptions b = parse("--config", cfg.toString()).backup();
    assertEquals(List.of("internal", "sdcard"), List.copyOf(b.volumes().keySet()));
    assertEquals(2L << 30, b.stagingLimit());
    assertEquals(Path.of("/run/mtpd/backup-engine.sock"), b.socket());
    assertEquals(Duration.ofSeconds(10), b.readyTimeout());

    BackupOptions overridden = parse("--config", cfg.toString(), "--backup-volume", "only=/only", "--backup-staging-limit", "1G").backup();
    assertEquals(java.util.Map.of("only", Path.of("/only")), overridden.volumes(), "volumes on the command line replace the file's");
    assertEquals(1L << 30, overridden.stagingLimit());
    assertEquals(Path.of("/var/lib/mtpd/staging"), overridden.staging());

    Path single = dir.resolve("single-volume.conf");
    Files.writeString(single, "functionfs=/f\nstorage.1=A=/a\nbackup-registrations=/r\nbackup-volume=internal=/data\n");
    assertTrue(error("--config", single.toString()).contains("backup-volume.1 = NAME=PATH"));
  }

  @Test void storageSpecSyntax() throws Exception {
    assertEquals(new StorageSpec("A", Path.of("/x"), false), StorageSpec.parse("A=/x:rw"));
    assertEquals(new StorageSpec("A", Path.of("/x"), true), StorageSpec.parse("A=/x:ro"));
    assertFalse(StorageSpec.parse("A=/x").readOnly());
  }

  @Test void storageOwnershipOptions() throws Exception {
    StorageSpec s = StorageSpec.parse("Music=/srv/music:uid=0:gid=0:file-mode=0664:folder-mode=02775");
    assertEquals(Path.of("/srv/music"), s.path());
    assertFalse(s.readOnly());
    assertEquals("0", String.valueOf(s.ownership().owner().getName()).replace("root", "0"));
    assertEquals(0664, s.ownership().fileMode());
    assertEquals(02775, s.ownership().folderMode());
    // any order, a path with colons in it, and the spec prints back as it parses
    StorageSpec t = StorageSpec.parse("Odd=/data/a:b:folder-mode=755:file-mode=640");
    assertEquals(Path.of("/data/a:b"), t.path());
    assertEquals(0640, t.ownership().fileMode());
    assertEquals(0755, t.ownership().folderMode());
    assertEquals(t, StorageSpec.parse(t.toString()));
    assertEquals(new StorageSpec("A", Path.of("/x"), false), StorageSpec.parse("A=/x"));
    assertTrue(StorageSpec.parse("A=/x").ownership().isDefault());
  }

  @Test void badStorageOwnershipOptions() {
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:file-mode=0999").contains("is not an octal mode such as 0644"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:folder-mode=17777").contains("is not an octal mode"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:fmode=0644").contains("unknown option \"fmode\""));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:uid=0:uid=0").contains("uid= given twice"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:uid=").contains("uid= needs a user"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:ro:file-mode=0644").contains("read-only, so the host creates nothing there"));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:uid=no-such-user-here").contains("no user \"no-such-user-here\""));
    assertTrue(error("--functionfs", "/f", "--storage", "A=/x:gid=no-such-group-here").contains("no group \"no-such-group-here\""));
  }

  @Test void storageOwnershipFromTheConfigFile() throws Exception {
    Path conf = dir.resolve("own.conf");
    Files.writeString(conf, "functionfs=/f\nstorage.1=Internal=/srv/mtp:file-mode=0660:folder-mode=2770:gid=0\n");
    StorageSpec s = MtpdCommandLine.parse(new String[] {"--config", conf.toString()}, () -> "S").options().storages().get(0);
    assertEquals(Path.of("/srv/mtp"), s.path());
    assertEquals(0660, s.ownership().fileMode());
    assertEquals(02770, s.ownership().folderMode());
    assertEquals(null, s.ownership().owner());
    assertTrue(s.ownership().group() != null);
  }

  @Test void androidExtensionFlag() throws Exception {
    assertFalse(parse("--functionfs", "/f", "--storage", "A=/a").androidExtension(), "off by default (libmtp's Android quirks)");
    assertTrue(parse("--functionfs", "/f", "--storage", "A=/a", "--android-extension").androidExtension());
    assertTrue(error("--functionfs", "/f", "--storage", "A=/a", "--android-extension=yes").contains("takes no value"));
    Path conf = dir.resolve("android.conf");
    Files.writeString(conf, "functionfs=/f\nstorage.1=A=/a\nandroid-extension=true\n");
    assertTrue(parse("--config", conf.toString()).androidExtension());
    Files.writeString(conf, "functionfs=/f\nstorage.1=A=/a\nandroid-extension=maybe\n");
    assertTrue(error("--config", conf.toString()).contains("neither true nor false"));
  }

  @Test void machineSerialIsNeverEmpty() {
    assertFalse(MtpdCommandLine.machineSerial().isBlank());
  }
}
