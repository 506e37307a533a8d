package io.mtpbridge.core.storage.fs;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The symbolic link rule, through the responder: a link to a file inside the storage is that file;
 * any other link (to a folder, to a parent, leading out, dangling, looping) is not an object —
 * not listed, not followed by "every object" walks, copies or moves, and deleting its folder
 * removes the link only. One bad link never spoils the listing of the rest.
 */
class SymlinkRuleTest {
  @TempDir Path dir;
  @TempDir Path outside;

  private static final int ALL = 0xFFFFFFFF;

  private static List<String> names(TestHost h, int[] handles) throws IOException {
    List<String> out = new ArrayList<>();
    for (int x : handles) out.add(ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename());
    out.sort(null);
    return out;
  }

  private static int handleOf(TestHost h, int parent, String name) throws IOException {
    for (int x : h.handles(0, 0, parent)) {
      if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename().equals(name)) return x;
    }
    throw new AssertionError(name + " not listed");
  }

  private static List<String> tree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.map(x -> p.relativize(x).toString()).filter(x -> !x.isEmpty()).sorted().toList();
    }
  }

  @Test
  void aLinkToAFolderIsNotListedAndDeletingItsFolderKeepsTheTarget() throws Exception {
    Files.createDirectories(dir.resolve("photos"));
    Files.writeString(dir.resolve("photos/p1.jpg"), "p1");
    Files.createDirectories(dir.resolve("albums"));
    Files.createSymbolicLink(dir.resolve("albums/best"), dir.resolve("photos"));
    Files.writeString(dir.resolve("albums/list.txt"), "l");
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int albums = handleOf(h, ALL, "albums");
      assertEquals(List.of("list.txt"), names(h, h.handles(0, 0, albums)), "the folder link is not an object");
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, albums, 0));
      assertFalse(Files.exists(dir.resolve("albums"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "the folder went, with the link");
      assertEquals(List.of("photos", "photos/p1.jpg"), tree(dir), "the link's target is untouched");
      h.assertClean();
    }
  }

  @Test
  void aLinkToAParentDoesNotMakeEveryObjectWalksLoop() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/f.txt"), "f");
    Files.createSymbolicLink(dir.resolve("a/b/up"), dir.resolve("a"));
    Files.createSymbolicLink(dir.resolve("a/root"), dir);
    Files.createDirectories(dir.resolve("copies"));
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      assertEquals(List.of("a", "b", "copies", "f.txt"), names(h, h.handles(0, 0, 0)), "GetObjectHandles of every object");
      ObjectPropList all = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, ALL, 0,
          ObjectPropertyCode.OBJECT_FILE_NAME.value(), 0, ALL)));
      assertEquals(4, all.elements().size(), "GetObjectPropList of every object");
      int a = handleOf(h, ALL, "a");
      var copy = h.tx(OperationCode.COPY_OBJECT, a, Fixtures.STORAGE_1, handleOf(h, a, "b"));
      expect(ResponseCode.INVALID_PARENT_OBJECT, copy); // into itself: refused, as before
      int copies = handleOf(h, ALL, "copies");
      expect(ResponseCode.OK, h.tx(OperationCode.COPY_OBJECT, a, Fixtures.STORAGE_1, copies));
      assertEquals(List.of("a", "a/b", "a/b/f.txt"), tree(dir.resolve("copies")), "the copy has the objects, not the links");
      h.assertClean();
    }
  }

  @Test
  void oneBadLinkDoesNotSpoilTheListing() throws Exception {
    Files.writeString(dir.resolve("good.txt"), "g");
    Files.createSymbolicLink(dir.resolve("loop1"), dir.resolve("loop2"));
    Files.createSymbolicLink(dir.resolve("loop2"), dir.resolve("loop1"));
    Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nothing"));
    Files.createSymbolicLink(dir.resolve("out"), outside);
    Files.createSymbolicLink(dir.resolve("self"), dir);
    Path locked = Files.createDirectories(dir.resolve("locked/inner"));
    Files.writeString(locked.resolve("x.txt"), "x");
    Files.createSymbolicLink(dir.resolve("into-locked.txt"), locked.resolve("x.txt"));
    locked.getParent().toFile().setExecutable(false, false); // the link's target cannot be reached (unless root)
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      List<String> listed = names(h, h.handles(0, 0, ALL));
      assertTrue(listed.contains("good.txt"), listed.toString());
      assertTrue(listed.contains("locked"), listed.toString());
      for (String hidden : List.of("loop1", "loop2", "dangling", "out", "self")) assertFalse(listed.contains(hidden), hidden);
      h.assertClean();
    } finally {
      locked.getParent().toFile().setExecutable(true, false);
    }
  }

  @Test
  void aLinkToAFileIsThatFileAndDeletingItDeletesTheLinkOnly() throws Exception {
    Files.createDirectories(dir.resolve("music"));
    Files.writeString(dir.resolve("music/song.mp3"), "la la");
    Files.createDirectories(dir.resolve("playlist"));
    Files.createSymbolicLink(dir.resolve("playlist/song.mp3"), Path.of("../music/song.mp3")); // relative
    Files.createDirectories(dir.resolve("other/deeper"));
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int playlist = handleOf(h, ALL, "playlist");
      int link = handleOf(h, playlist, "song.mp3");
      assertEquals("la la", new String(h.ok(h.tx(OperationCode.GET_OBJECT, link)).array(), java.nio.charset.StandardCharsets.UTF_8).trim());
      // moving the link keeps it pointing at the same file
      int deeper = handleOf(h, handleOf(h, ALL, "other"), "deeper");
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, link, Fixtures.STORAGE_1, deeper));
      assertTrue(Files.isSymbolicLink(dir.resolve("other/deeper/song.mp3")));
      assertEquals("la la", Files.readString(dir.resolve("other/deeper/song.mp3")));
      expect(ResponseCode.OK, h.tx(OperationCode.GET_OBJECT_INFO, link));
      // deleting it removes the link, not the music
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, link, 0));
      assertFalse(Files.exists(dir.resolve("other/deeper/song.mp3"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
      assertEquals("la la", Files.readString(dir.resolve("music/song.mp3")));
      h.assertClean();
    }
  }
}
