package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person starting mtpd wrongly sees: one line naming the problem and the fix, and the exit status. */
class MtpdMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Mtpd.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errLine() {
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, text.lines().count(), "exactly one line: " + text);
    assertTrue(text.startsWith("mtpd: "), text);
    return text;
  }

  @Test void badOptionExitsWithTwo() {
    assertEquals(2, run("--functionfs", dir.toString(), "--storage", "A=" + dir, "--turbo"));
    assertTrue(errLine().contains("unknown option --turbo"));
  }

  @Test void helpExitsWithZero() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--functionfs=DIR"));
  }

  @Test void versionExitsWithZero() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("mtpd " + Mtpd.VERSION), out.toString(StandardCharsets.UTF_8));
  }

  @Test void missingFunctionFsDirectory() {
    assertEquals(1, run("--functionfs", dir.resolve("ffs").toString(), "--storage", "A=" + dir));
    assertTrue(errLine().contains("does not exist: create it and mount"));
  }

  @Test void unmountedFunctionFsDirectory() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    assertEquals(1, run("--functionfs", ffs.toString(), "--storage", "A=" + dir));
    assertTrue(errLine().contains("no ep0"));
  }

  @Test void plainDirectoryWithAnEp0FileIsNotTakenForFunctionFs() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    Files.createFile(ffs.resolve("ep0"));
    assertEquals(1, run("--functionfs", ffs.toString(), "--storage", "A=" + dir));
    assertTrue(errLine().contains("not a FunctionFS mount"));
    assertEquals(0, Files.size(ffs.resolve("ep0")), "nothing was written into the impostor");
  }

  @Test void missingStoragePath() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    assertEquals(1, run("--functionfs", ffs.toString(), "--storage", "Photos=" + dir.resolve("photos")));
    assertTrue(errLine().contains("storage \"Photos\""));
  }

  @Test void storageThatIsAFile() throws Exception {
    Path file = Files.createFile(dir.resolve("file"));
    assertEquals(1, run("--functionfs", dir.toString(), "--storage", "F=" + file));
    assertTrue(errLine().contains("is not a folder"));
  }

  /**
   * An owner mtpd cannot give is refused at start, before FunctionFS, with the fix named. As an
   * ordinary user that is uid=0; root can give any owner, so there the same start gets past the
   * storage check (to the FunctionFS error) and leaves no probe file behind.
   */
  @Test void storageOwnerThatCannotBeGiven() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    Path store = Files.createDirectory(dir.resolve("store"));
    boolean root = "0".equals(String.valueOf(Files.getAttribute(store, "unix:uid")));
    assertEquals(1, run("--functionfs", ffs.toString(), "--storage", "A=" + store + ":uid=" + (root ? "12345" : "0")));
    String line = errLine();
    if (root) {
      assertTrue(line.contains("no ep0"), line);
    } else {
      assertTrue(line.contains("storage \"A\"") && line.contains("run mtpd as root, or drop the uid=/gid= options"), line);
    }
    try (var files = Files.list(store)) {
      assertEquals(0, files.count(), "the probe file is gone");
    }
  }

  private String[] withBackup(Path ffs, String... backup) {
    String[] base = {"--functionfs", ffs.toString(), "--storage", "A=" + dir};
    String[] all = java.util.Arrays.copyOf(base, base.length + backup.length);
    System.arraycopy(backup, 0, all, base.length, backup.length);
    return all;
  }

  @Test void badBackupSizeExitsWithTwo() throws Exception {
    assertEquals(2, run(withBackup(dir, "--backup-registrations", dir.toString(), "--backup-volume", "internal=" + dir,
        "--backup-staging-limit", "8 gigs")));
    assertTrue(errLine().contains("--backup-staging-limit \"8 gigs\" is not a size"));
  }

  @Test void missingRegistrationsDirectory() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    assertEquals(1, run(withBackup(ffs, "--backup-registrations", dir.resolve("backup.d").toString(), "--backup-volume", "internal=" + dir,
        "--backup-staging", dir.resolve("staging").toString())));
    assertTrue(errLine().contains("backup registrations " + dir.resolve("backup.d") + " does not exist: create the folder"));
  }

  @Test void missingBackupVolume() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    Path reg = Files.createDirectory(dir.resolve("backup.d"));
    assertEquals(1, run(withBackup(ffs, "--backup-registrations", reg.toString(), "--backup-volume", "sd=" + dir.resolve("sd"),
        "--backup-staging", dir.resolve("staging").toString())));
    assertTrue(errLine().contains("backup volume \"sd\": " + dir.resolve("sd") + " does not exist"));
  }

  @Test void unusableStagingDirectory() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    Path reg = Files.createDirectory(dir.resolve("backup.d"));
    Path file = Files.createFile(dir.resolve("staging-file"));
    assertEquals(1, run(withBackup(ffs, "--backup-registrations", reg.toString(), "--backup-volume", "internal=" + dir,
        "--backup-staging", file.toString())));
    assertTrue(errLine().contains("backup staging " + file + " is not a folder"));
    err.reset();
    assertEquals(1, run(withBackup(ffs, "--backup-registrations", reg.toString(), "--backup-volume", "internal=" + dir,
        "--backup-staging", file.resolve("below").toString())));
    assertTrue(errLine().contains("cannot be created"));
  }

  @Test void socketPathThatIsAFileIsNotDeleted() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs"));
    Path reg = Files.createDirectory(dir.resolve("backup.d"));
    Path file = Files.writeString(dir.resolve("important"), "keep me");
    assertEquals(1, run(withBackup(ffs, "--backup-registrations", reg.toString(), "--backup-volume", "internal=" + dir,
        "--backup-staging", dir.resolve("staging").toString(), "--backup-socket", file.toString())));
    assertTrue(errLine().contains("backup socket " + file + " is an existing file"));
    assertEquals("keep me", Files.readString(file));
  }

  @Test void backupIsCheckedBeforeFunctionFsAndReleasedAfterItsFailure() throws Exception {
    Path ffs = Files.createDirectory(dir.resolve("ffs")); // no ep0: FunctionFS fails after the backup started
    Path reg = Files.createDirectory(dir.resolve("backup.d"));
    Path socket = dir.resolve("engine.sock");
    assertEquals(1, run(withBackup(ffs, "--backup-registrations", reg.toString(), "--backup-volume", "internal=" + dir,
        "--backup-staging", dir.resolve("staging").toString(), "--backup-socket", socket.toString())));
    assertTrue(errLine().contains("no ep0"));
    // the engine was closed: its socket no longer accepts owners
    try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> ch.connect(java.net.UnixDomainSocketAddress.of(socket)));
    }
  }
}
