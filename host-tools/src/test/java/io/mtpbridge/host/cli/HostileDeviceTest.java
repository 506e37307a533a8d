package io.mtpbridge.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mtpbridge.host.files.Descent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mtpbridge against a device that lies: folder listings that loop, names listed twice, sizes that
 * do not match the data, names with characters that break output. Each must end in one line on
 * stderr and exit 1 (or a correct result), never a hang, a crash, a filled disk, a lost copy or
 * broken JSON.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileDeviceTest {
  @TempDir Path tmp;
  final FakeMtpDevice device = new FakeMtpDevice();

  private FakeMtpDevice.Result fails(String... args) {
    FakeMtpDevice.Result r = device.run(tmp.resolve("backups"), args);
    assertEquals(1, r.status(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r);
    assertTrue(r.err().startsWith("mtpbridge: "), r.toString());
    return r;
  }

  private FakeMtpDevice.Result ok(String... args) {
    FakeMtpDevice.Result r = device.run(tmp.resolve("backups"), args);
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return new ArrayList<>(s.filter(Files::isRegularFile).toList());
    }
  }

  @Test void aFolderListedInsideItselfEndsListingAndCopyWithOneLine() throws Exception {
    FakeMtpDevice.Obj a = device.folder(0, "A");
    device.file(a.handle, "x.txt", 10);
    FakeMtpDevice.Obj b = device.folder(a.handle, "B");
    device.list(b.handle, a.handle); // B lists its own parent: A/B/A/B/...
    FakeMtpDevice.Result ls = fails("ls", "-R", "/Internal");
    assertTrue(ls.err().contains("/Internal/A/B/A") && ls.err().contains("loop"), ls.toString());

    device.list(a.handle, a.handle, b.handle); // and A lists itself
    Path local = Files.createDirectories(tmp.resolve("pc"));
    FakeMtpDevice.Result get = fails("get", "/Internal/A", local.toString());
    assertTrue(get.err().contains("loop"), get.toString());
    assertFalse(Files.exists(local.resolve("A/A")), "no copy of the folder inside itself");
  }

  @Test void aFolderTreeDeeperThanAnyPathEndsWithOneLine() throws Exception {
    // a device that makes up a new subfolder every time one is listed
    int parent = 0;
    for (int i = 0; i < Descent.MAX_DEPTH + 10; i++) parent = device.folder(parent, "d").handle;
    FakeMtpDevice.Result ls = fails("ls", "-R", "/Internal");
    assertTrue(ls.err().contains("levels deep"), ls.toString());
  }

  @Test void twoEntriesWithOneNameAreNotSavedOverEachOther() throws Exception {
    device.file(0, "same.txt", 100);
    device.file(0, "same.txt", 200);
    Path local = Files.createDirectories(tmp.resolve("pc"));
    FakeMtpDevice.Result r = fails("get", "/Internal", local.toString());
    assertTrue(r.err().contains("same.txt") && r.err().contains("twice"), r.toString());
    assertEquals(100, Files.size(local.resolve("Internal/same.txt")), "the first copy stays as it came");
  }

  @Test void aFileLongerThanAnnouncedStopsAtTheAnnouncedSizeAndLeavesNothing() throws Exception {
    FakeMtpDevice.Obj f = device.file(0, "small.bin", 1000);
    f.actual = 64L << 20; // 64 MiB behind a 0xFFFFFFFF data container
    f.unknownLength = true;
    Path local = Files.createDirectories(tmp.resolve("pc"));
    FakeMtpDevice.Result r = fails("get", "/Internal/small.bin", local.toString());
    assertTrue(r.err().contains("more than the 1000 bytes"), r.toString());
    assertTrue(device.sentObjectBytes < (4 << 20), "stopped reading early, read " + device.sentObjectBytes);
    assertEquals(List.of(), files(local), "no partial file");
  }

  @Test void aFileShorterThanAnnouncedLeavesNothing() throws Exception {
    FakeMtpDevice.Obj f = device.file(0, "short.bin", 100_000);
    f.actual = 50_000;
    Path local = Files.createDirectories(tmp.resolve("pc"));
    FakeMtpDevice.Result r = fails("get", "/Internal/short.bin", local.toString());
    assertTrue(r.err().contains("50000 bytes of 100000"), r.toString());
    assertEquals(List.of(), files(local), "no partial file");
  }

  @Test void aDeviceWithoutObjectSizeStillListsAndCopiesA4GiBAnnouncedFile() throws Exception {
    FakeMtpDevice.Obj big = device.file(0, "big.bin", 0xFFFFFFFFL);
    big.actual = 3000;
    device.file(0, "small.txt", 5);
    device.objectSizeProperty = false; // a PTP camera: no GetObjectPropValue
    FakeMtpDevice.Result ls = ok("ls", "-l", "/Internal");
    assertTrue(ls.out().contains("big.bin") && ls.out().contains("small.txt"), ls.toString());
    Path local = Files.createDirectories(tmp.resolve("pc"));
    ok("get", "/Internal/big.bin", local.toString());
    assertEquals(3000, Files.size(local.resolve("big.bin")));
  }

  @Test void jsonStaysValidWithDeleteAndC1ControlsAndBidiOverridesInNames() throws Exception {
    String[] names = {"del\u007fname", "nel\u0085name", "csi\u009b31mred", "rtl\u202Eexe.txt", "esc\u001b[2Jclear", "quote\"back\\slash"};
    for (String n : names) device.file(0, n, 1);
    FakeMtpDevice.Result r = ok("--json", "ls", "/Internal");
    List<String> seen = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(r.out())) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME && p.currentName().equals("name")) {
          p.nextToken();
          seen.add(p.getText());
        }
      }
    }
    List<String> expected = new ArrayList<>(List.of(names));
    expected.sort(null);
    assertEquals(expected, seen, "the names come back exactly from valid JSON");
    assertFalse(r.out().chars().anyMatch(c -> c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x202E), "no raw control character on stdout");
  }

  @Test void namesThatAreNoFileNameStopGetWithOneLine() throws Exception {
    for (String bad : new String[] {"..", ".", "a/b", ""}) {
      device.objects.clear();
      device.file(0, "ok.txt", 3);
      device.file(0, bad, 3);
      Path local = Files.createDirectories(tmp.resolve("pc-" + bad.length() + bad.hashCode()));
      FakeMtpDevice.Result r = fails("get", "/Internal", local.toString());
      assertTrue(r.err().contains("rename it on the device"), r.toString());
      try (Stream<Path> s = Files.walk(tmp)) {
        assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("ok.txt") && !p.startsWith(local)), "nothing outside " + local);
      }
    }
  }

  @Test void aGarbageDateIsNoDate() throws Exception {
    FakeMtpDevice.Obj f = device.file(0, "f.txt", 4);
    f.date = "not a date at all";
    FakeMtpDevice.Result ls = ok("ls", "-l", "/Internal");
    assertTrue(ls.out().contains("f.txt"), ls.toString());
    Path local = Files.createDirectories(tmp.resolve("pc"));
    ok("get", "/Internal/f.txt", local.toString());
    assertEquals(4, Files.size(local.resolve("f.txt")));
  }

  /**
   * Replacing a file on a device that cannot rename (a camera, an old player): before, the new copy
   * went up under a hidden name, the old file was deleted, and the rename that failed left only
   * the hidden copy: the file was gone under its name. Now the old file steps aside by a rename
   * first, so such a device refuses before anything is lost.
   */
  @Test void replacingOnADeviceThatCannotRenameKeepsTheOldFile() throws Exception {
    device.file(0, "keep.txt", 100);
    device.rename = false;
    Path local = Files.createDirectories(tmp.resolve("pc"));
    Files.write(local.resolve("keep.txt"), new byte[50]);
    FakeMtpDevice.Result r = fails("put", local.resolve("keep.txt").toString(), "/Internal/");
    assertTrue(r.err().contains("/Internal/keep.txt") && r.err().contains("remove it first"), r.toString());
    assertEquals(List.of("keep.txt"), device.names(), "the old file stays, nothing hidden is left");
    assertEquals(100, device.objects.values().iterator().next().announced);

    device.rename = true;
    ok("put", local.resolve("keep.txt").toString(), "/Internal/");
    assertEquals(List.of("keep.txt"), device.names(), "replaced, nothing hidden is left");
    assertEquals(50, device.objects.values().iterator().next().announced);
  }
}
