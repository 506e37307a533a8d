package io.mtpbridge.sim.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.host.link.InitiatorLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** mtpbridge's file commands against a simulated device through its virtual USB port. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MtpBridgeFilesTest {
  @TempDir Path tmp;
  PcFixture pc;
  PcFixture.Sim device;
  Path local;

  @BeforeEach void start() throws Exception {
    pc = new PcFixture(tmp);
    device = pc.addDevice("SIM-FILES-1", List.of());
    local = Files.createDirectories(tmp.resolve("pc"));
  }

  @AfterEach void stop() {
    pc.close();
  }

  private PcFixture.Result ok(String... args) {
    PcFixture.Result r = pc.run(args);
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private PcFixture.Result fails(int status, String... args) {
    PcFixture.Result r = pc.run(args);
    assertEquals(status, r.status(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("mtpbridge: "), r.err());
    return r;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test void devicesListsTheDeviceWithItsStoragesAndBackupSupport() {
    PcFixture.Result r = ok("devices");
    assertTrue(r.out().contains("001-002  1209:000c  MTP Bridge Simulated device  serial SIM-FILES-1"), r.out());
    assertTrue(r.out().contains("storages: /Internal"), r.out());
    assertTrue(r.out().contains("backup: no"), r.out());
    PcFixture.Result json = ok("--json", "devices");
    assertTrue(json.out().contains("\"serial\" : \"SIM-FILES-1\""), json.out());
    assertTrue(json.out().contains("\"backup\" : false"), json.out());
  }

  @Test void filesGoBothWaysByteExactWithTheirDates() throws Exception {
    Instant when = Instant.parse("2021-03-04T05:06:07Z");
    for (int size : new int[] {0, 512, 3 * 1024 * 1024 + 1}) {
      byte[] data = random(size, size);
      Path up = Files.write(local.resolve("up-" + size + ".bin"), data);
      Files.setLastModifiedTime(up, FileTime.from(when));
      ok("put", up.toString(), "/Internal/");
      Path onDevice = device.storage.resolve("up-" + size + ".bin");
      assertArrayEquals(data, Files.readAllBytes(onDevice), "put " + size);
      assertEquals(when, Files.getLastModifiedTime(onDevice).toInstant(), "DateModified kept on put");

      byte[] other = random(size, size + 7);
      Path devFile = Files.write(device.storage.resolve("down-" + size + ".bin"), other);
      Files.setLastModifiedTime(devFile, FileTime.from(when.plusSeconds(60)));
      Path target = local.resolve("got-" + size + ".bin");
      ok("get", "/Internal/down-" + size + ".bin", target.toString());
      assertArrayEquals(other, Files.readAllBytes(target), "get " + size);
      assertEquals(when.plusSeconds(60), Files.getLastModifiedTime(target).toInstant(), "DateModified kept on get");
    }
    PcFixture.Result ls = ok("ls", "-l", "/Internal");
    assertTrue(ls.out().contains(" 3145729  "), ls.out());
    assertTrue(ok("ls", "/").out().contains("Internal/"));
  }

  /**
   * Names as long as MTP and the file systems allow (254 characters; 250 bytes of two-byte
   * characters) copy both ways, also over an existing file: the hidden part files they go through
   * first must not be longer than the name itself.
   */
  @Test void theLongestNamesCopyBothWaysAndReplace() throws Exception {
    for (String name : new String[] {"a".repeat(250) + ".bin", "\u00e9".repeat(123) + ".txt"}) {
      Path up = Files.write(local.resolve(name), random(1000, 1));
      ok("put", up.toString(), "/Internal/");
      assertArrayEquals(random(1000, 1), Files.readAllBytes(device.storage.resolve(name)), "put");
      Files.write(up, random(2000, 2));
      ok("put", up.toString(), "/Internal/");
      assertArrayEquals(random(2000, 2), Files.readAllBytes(device.storage.resolve(name)), "put over the file");

      Files.write(device.storage.resolve(name), random(3000, 3));
      ok("get", "/Internal/" + name, local.toString());
      assertArrayEquals(random(3000, 3), Files.readAllBytes(up), "get over the file");
      try (Stream<Path> s = Files.list(local)) {
        assertEquals(List.of(name), s.map(p -> p.getFileName().toString()).toList(), "no part file left");
      }
      try (Stream<Path> s = Files.list(device.storage)) {
        assertEquals(List.of(name), s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".mtpbridge-")).toList());
      }
      Files.delete(up);
      Files.delete(device.storage.resolve(name));
    }
  }

  /** A local name MTP cannot carry (255 characters) is one clear line, before anything is copied. */
  @Test void aNameTooLongForMtpIsRefusedBeforeAnythingIsCopied() throws Exception {
    Path tree = Files.createDirectories(local.resolve("tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    Files.writeString(tree.resolve("b".repeat(251) + ".txt"), "b");
    PcFixture.Result r = fails(1, "put", tree.toString(), "/Internal/");
    assertTrue(r.err().contains("254"), r.err());
    assertFalse(Files.exists(device.storage.resolve("tree")), "nothing copied");
  }

  /**
   * A device's names reach the terminal without their control characters: an escape sequence
   * in a name would drive the user's terminal, a newline would make one name look like two.
   */
  @Test void controlCharactersInNamesAreShownAsEscapes() throws Exception {
    String hostile = "evil\u001b]0;owned\u0007\nfake.txt\u202e";
    Files.writeString(device.storage.resolve(hostile), "x");
    PcFixture.Result ls = ok("ls", "/Internal");
    assertEquals("evil\\x1b]0;owned\\x07\\nfake.txt\\u202e\n", ls.out());
    PcFixture.Result missing = fails(1, "get", "/Internal/" + hostile + "x", local.toString());
    assertFalse(missing.err().contains("\u001b") || missing.err().contains("\u0007"), missing.err());
    ok("get", "/Internal/" + hostile, local.toString());
    assertEquals("x", Files.readString(local.resolve(hostile)), "the name itself is kept");
    PcFixture.Result json = ok("--json", "ls", "/Internal");
    // the bidi override too: raw, it would still turn the terminal's text around
    assertTrue(json.out().contains("evil\\u001B]0;owned\\u0007\\nfake.txt\\u202E"), json.out());
  }

  @Test void foldersCopyRecursivelyBothWaysLikeCp() throws Exception {
    Path tree = Files.createDirectories(local.resolve("tree/a/b"));
    Files.writeString(local.resolve("tree/top.txt"), "top");
    Files.writeString(local.resolve("tree/a/mid.txt"), "mid");
    Files.write(tree.resolve("deep.bin"), random(70_000, 3));
    Files.createDirectories(local.resolve("tree/empty"));
    Instant folderDate = Instant.parse("2020-01-02T03:04:05Z");
    for (String f : List.of("tree", "tree/a", "tree/a/b", "tree/empty")) Files.setLastModifiedTime(local.resolve(f), FileTime.from(folderDate));
    ok("put", local.resolve("tree").toString(), "/Internal");
    assertEquals("mid", Files.readString(device.storage.resolve("tree/a/mid.txt")));
    assertTrue(Files.isDirectory(device.storage.resolve("tree/empty")));
    for (String f : List.of("tree", "tree/a", "tree/a/b", "tree/empty")) {
      assertEquals(folderDate, Files.getLastModifiedTime(device.storage.resolve(f)).toInstant(), "folder date kept on put: " + f);
    }
    // a REMOTE that does not exist is the new folder's path
    ok("put", local.resolve("tree").toString(), "/Internal/copy");
    assertArrayEquals(random(70_000, 3), Files.readAllBytes(device.storage.resolve("copy/a/b/deep.bin")));

    ok("get", "/Internal/tree", local.resolve("back").toString());
    assertEquals(files(local.resolve("tree")), files(local.resolve("back")));
    Path into = Files.createDirectories(local.resolve("into"));
    ok("get", "/Internal/copy", into.toString());
    assertEquals(files(local.resolve("tree")), files(into.resolve("copy")));
    assertTrue(Files.isDirectory(into.resolve("copy/empty")));

    PcFixture.Result r = ok("ls", "-R", "/Internal/tree");
    assertTrue(r.out().contains("/Internal/tree/a/b:\ndeep.bin"), r.out());
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p) + ":" + sha(p)).sorted().toList();
    }
  }

  private static String sha(Path p) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test void mkdirRmMv() throws Exception {
    ok("mkdir", "/Internal/docs");
    assertTrue(Files.isDirectory(device.storage.resolve("docs")));
    Files.writeString(device.storage.resolve("a.txt"), "a");
    ok("mv", "/Internal/a.txt", "/Internal/docs");
    assertEquals("a", Files.readString(device.storage.resolve("docs/a.txt")));
    ok("mv", "/Internal/docs/a.txt", "/Internal/b.txt");
    assertEquals("a", Files.readString(device.storage.resolve("b.txt")));
    assertTrue(fails(1, "rm", "/Internal/docs").err().contains("use rm -r"));
    ok("rm", "-r", "/Internal/docs");
    ok("rm", "/Internal/b.txt");
    assertFalse(Files.exists(device.storage.resolve("docs")));
    assertFalse(Files.exists(device.storage.resolve("b.txt")));
  }

  /** The VM suite's order: a new folder receives a file moved from another folder, then rm without -r must refuse. */
  @Test void rmOfAFolderThatJustReceivedAFileNeedsDashR() throws Exception {
    Files.createDirectories(device.storage.resolve("tree"));
    Files.writeString(device.storage.resolve("tree/top.bin"), "top");
    ok("ls", "-R", "/Internal");
    ok("mkdir", "/Internal/pc-folder");
    ok("mv", "/Internal/tree/top.bin", "/Internal/pc-folder/renamed.bin");
    assertEquals("top", Files.readString(device.storage.resolve("pc-folder/renamed.bin")));
    var r = fails(1, "rm", "/Internal/pc-folder");
    assertTrue(r.err().contains("use rm -r"), r.err());
    assertTrue(Files.exists(device.storage.resolve("pc-folder/renamed.bin")));
    ok("rm", "-r", "/Internal/pc-folder");
    assertFalse(Files.exists(device.storage.resolve("pc-folder")));
  }

  @Test void errorsAreOneLineSayingWhatToDo() {
    assertTrue(fails(1, "get", "/Internal/missing.txt").err().contains("does not exist on the device"));
    assertTrue(fails(1, "ls", "/Nowhere").err().contains("its storages are /Internal"));
    assertTrue(fails(2, "get").err().contains("missing REMOTE"));
    assertTrue(fails(2, "frobnicate").err().contains("unexpected argument \"frobnicate\""));
    assertTrue(fails(2, "ls", "--turbo").err().contains("unknown option --turbo"));
    assertTrue(fails(2).err().contains("give a command"));
    assertTrue(fails(1, "--device", "NOPE", "ls").err().contains("no MTP device has serial or bus-address NOPE"));
  }

  @Test void aGetCutShortLeavesNoPartialFile() throws Exception {
    Files.write(device.storage.resolve("big.bin"), random(8 * 1024 * 1024, 9));
    pc.linkWrapper = PcFixture.after(2 * 1024 * 1024, () -> pc.cancellation.cancel());
    PcFixture.Result r = fails(1, "get", "/Internal/big.bin", local.toString());
    assertTrue(r.err().contains("interrupted") || r.err().contains("cancelled"), r.err());
    try (Stream<Path> s = Files.list(local)) {
      assertEquals(List.of(), s.toList(), "no partial or temporary file");
    }
    pc.linkWrapper = PcFixture.after(2 * 1024 * 1024, () -> device.port().unplug());
    r = fails(1, "get", "/Internal/big.bin", local.resolve("x.bin").toString());
    try (Stream<Path> s = Files.list(local)) {
      assertEquals(List.of(), s.toList(), "no partial file after an unplug: " + r.err());
    }
    pc.linkWrapper = java.util.function.UnaryOperator.identity();
    device.port().plugInAndConfigure();
    ok("get", "/Internal/big.bin", local.toString());
    assertArrayEquals(random(8 * 1024 * 1024, 9), Files.readAllBytes(local.resolve("big.bin")));
  }

  @Test void aPutCutShortLeavesNoPartialDeviceFile() throws Exception {
    Path big = Files.write(local.resolve("big.bin"), random(8 * 1024 * 1024, 4));
    pc.linkWrapper = PcFixture.after(2 * 1024 * 1024, () -> pc.cancellation.cancel());
    fails(1, "put", big.toString(), "/Internal/");
    try (Stream<Path> s = Files.list(device.storage)) {
      assertEquals(List.of(), s.toList(), "no partial file on the device");
    }
    // replacing a file: the old one stays until the new one is complete
    Files.writeString(device.storage.resolve("big.bin"), "old");
    fails(1, "put", big.toString(), "/Internal/");
    try (Stream<Path> s = Files.list(device.storage)) {
      assertEquals(List.of(device.storage.resolve("big.bin")), s.toList());
    }
    assertEquals("old", Files.readString(device.storage.resolve("big.bin")));
    pc.linkWrapper = java.util.function.UnaryOperator.identity();
    ok("put", big.toString(), "/Internal/");
    assertArrayEquals(random(8 * 1024 * 1024, 4), Files.readAllBytes(device.storage.resolve("big.bin")));
  }

  @Test void twoDevicesNeedDeviceAndABusyDeviceSaysSo() throws Exception {
    PcFixture.Sim second = pc.addDevice("SIM-FILES-2", List.of());
    Files.writeString(second.storage.resolve("only-on-2.txt"), "2");
    PcFixture.Result r = fails(2, "ls", "/Internal");
    assertTrue(r.err().contains("2 MTP devices are connected") && r.err().contains("SIM-FILES-1") && r.err().contains("SIM-FILES-2")
        && r.err().contains("--device"), r.err());
    assertTrue(ok("--device", "SIM-FILES-2", "ls", "/Internal").out().contains("only-on-2.txt"));
    assertTrue(ok("ls", "--device", "001-003", "/Internal").out().contains("only-on-2.txt"));
    assertEquals(2, ok("devices").out().lines().filter(l -> l.startsWith("001-")).count());

    try (InitiatorLink held = pc.claim(device)) {
      PcFixture.Result busy = fails(1, "--device", "SIM-FILES-1", "ls", "/");
      assertTrue(busy.err().contains("is busy") && busy.err().contains("gio mount -u mtp://SIM-FILES-1/"), busy.err());
      assertTrue(ok("devices").out().contains("busy"), "devices shows the busy one");
    }
    ok("--device", "SIM-FILES-1", "ls", "/");
  }
}
