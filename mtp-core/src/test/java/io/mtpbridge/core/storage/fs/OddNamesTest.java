package io.mtpbridge.core.storage.fs;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.ObjectNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose names cannot go to the host as they are (a backslash, longer than 254 UTF-16 units)
 * are shown under an escaped name and can be read, renamed and deleted — and so can their folders.
 */
class OddNamesTest {
  @TempDir Path dir;

  private static Map<String, Integer> listing(TestHost h, int parent) throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (int x : h.handles(0, 0, parent)) out.put(ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename(), x);
    return out;
  }

  private static long count(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.count();
    }
  }

  @Test
  void unnameableFilesAreShownEscapedAndCanBeReadRenamedAndDeleted() throws Exception {
    Files.createDirectories(dir.resolve("odd"));
    Files.writeString(dir.resolve("odd/back\\slash.txt"), "backslash");
    String tooLong = "x".repeat(250) + ".text";                   // 255 units: too long for an MTP name
    Files.writeString(dir.resolve("odd/" + tooLong), "too long");
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int odd = listing(h, 0xFFFFFFFF).get("odd");
      Map<String, Integer> shown = listing(h, odd);
      assertEquals(2, shown.size(), "both files are listed: " + shown.keySet());
      String slash = shown.keySet().stream().filter(n -> n.startsWith("back_slash~")).findFirst().orElseThrow();
      assertTrue(slash.endsWith(".txt") && ObjectNames.isValid(slash), slash);
      String longShown = shown.keySet().stream().filter(n -> n.startsWith("xxx")).findFirst().orElseThrow();
      assertTrue(ObjectNames.isValid(longShown) && longShown.endsWith(".text"), longShown);

      assertEquals("backslash", new String(TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, shown.get(slash)))), StandardCharsets.UTF_8));
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("fixed.txt")),
          shown.get(slash), ObjectPropertyCode.OBJECT_FILE_NAME.value()));
      assertEquals("backslash", Files.readString(dir.resolve("odd/fixed.txt")), "renamed on disk to the host's name");

      // the folder holding an unnameable file can be deleted from the PC
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, odd, 0));
      assertFalse(Files.exists(dir.resolve("odd")));
      h.assertClean();
    }
  }

  @Test
  void namesThatAreNotUtf8AreShownEscapedAndCanBeRead() throws Exception {
    // A name made of bytes that are not UTF-8 (Latin-1 "café" written by an old tool). The JVM
    // decodes it with a replacement character, which does not lead back to the file.
    Process p = new ProcessBuilder("sh", "-c", "printf latin1 > \"$(printf 'caf\\351.txt')\"").directory(dir.toFile()).start();
    assertEquals(0, p.waitFor());
    assertEquals(1, count(dir));
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      Map<String, Integer> shown = listing(h, 0xFFFFFFFF);
      assertEquals(1, shown.size(), shown.keySet().toString());
      String name = shown.keySet().iterator().next();
      assertTrue(name.startsWith("caf_~") && name.endsWith(".txt"), name);
      assertEquals("latin1", new String(TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, shown.get(name)))), StandardCharsets.UTF_8));
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, shown.get(name), 0));
      assertEquals(0, count(dir));
      h.assertClean();
    }
  }

  @Test
  void escapedNamesFitAnMtpNameAndTheFileSystem() {
    String e = OddNames.escape("y".repeat(300) + ".jpeg", "raw");
    assertTrue(ObjectNames.isValid(e), e);
    assertTrue(e.getBytes(StandardCharsets.UTF_8).length <= 255);
    assertTrue(e.endsWith(".jpeg"));
    String wide = OddNames.escape("\uD83D\uDE00".repeat(200) + "\\", "raw2");
    assertTrue(ObjectNames.isValid(wide) && wide.getBytes(StandardCharsets.UTF_8).length <= 255, wide);
  }
}
