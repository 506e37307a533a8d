package io.mtpbridge.core.responder;

import static io.mtpbridge.core.responder.Fixtures.STORAGE_1;
import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.transport.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handles outlive sessions (MTP, unlike PTP, requires it; libmtp's {@code mtp-files} and
 * {@code mtp-getfile <id>} are separate sessions), follow their objects through renames and moves,
 * and are never reused once their object is gone.
 */
class HandleStabilityTest {
  @TempDir Path dir;

  @BeforeEach
  void tree() throws IOException {
    Files.writeString(dir.resolve("a.txt"), "hello a");
    Files.createDirectory(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/c.txt"), "inside");
  }

  static int handleOf(TestHost h, int parent, String name) throws IOException {
    for (int hd : h.handles(STORAGE_1, 0, parent)) if (info(h, hd).filename().equals(name)) return hd;
    return 0;
  }

  static ObjectInfo info(TestHost h, int handle) throws IOException {
    return ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle)));
  }

  static String content(TestHost h, int handle) throws IOException {
    return new String(TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, handle))), StandardCharsets.UTF_8);
  }

  static void reopen(TestHost h) throws IOException {
    expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
    h.open();
  }

  @Test
  void aHandleFromSessionOneWorksInSessionTwoAndAfterAReset() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = handleOf(h, 0xFFFFFFFF, "a.txt");
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int c = handleOf(h, docs, "c.txt");
      int[] root = h.handles(STORAGE_1, 0, 0xFFFFFFFF);

      // mtp-getfile <id>: a new session that uses the id straight away, without listing first.
      reopen(h);
      assertEquals("a.txt", info(h, a).filename());
      assertEquals("hello a", content(h, a));
      assertEquals("inside", content(h, c));
      assertEquals(docs, info(h, c).parentObject());
      int[] again = h.handles(STORAGE_1, 0, 0xFFFFFFFF);
      Arrays.sort(root);
      Arrays.sort(again);
      assertArrayEquals(root, again, "a new listing hands out the same handles");

      // A USB reset (host unplugged) ends the session; the next host still finds the object.
      h.link.reset();
      h.open();
      assertEquals("hello a", content(h, a));
      assertEquals(c, handleOf(h, docs, "c.txt"));
      h.assertClean();
    }
  }

  @Test
  void openingASessionEnumeratesNothing() throws Exception {
    MtpResponder r = Fixtures.responder(dir);
    try (TestHost h = new TestHost(r)) {
      h.open();
      assertEquals(0, r.objects().size(), "no folder is listed before the host asks");
      handleOf(h, 0xFFFFFFFF, "a.txt");
      int known = r.objects().size();
      reopen(h);
      assertEquals(known, r.objects().size(), "reopening lists nothing either");
      h.assertClean();
    }
  }

  @Test
  void aDeletedObjectsHandleIsNeverReused() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = handleOf(h, 0xFFFFFFFF, "a.txt");
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, a));
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, a));

      // The same name again, from the host and from the device: new objects, new handles.
      LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("a.txt", 3), STORAGE_1, 0);
      expect(ResponseCode.OK, x);
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {1, 2, 3}));
      assertNotEquals(a, x.param(2));
      reopen(h);
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, a));
      Files.delete(dir.resolve("a.txt"));
      Files.writeString(dir.resolve("a.txt"), "recreated on the device");
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        for (int hd : h.handles(STORAGE_1, 0, 0)) seen.add(hd);
        reopen(h);
      }
      assertFalse(seen.contains(a), "the deleted object's handle came back: " + seen);
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, a));
      h.assertClean();
    }
  }

  @Test
  void anObjectDeletedOnTheDeviceBetweenSessionsLosesItsHandle() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = handleOf(h, 0xFFFFFFFF, "a.txt");
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int c = handleOf(h, docs, "c.txt");
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      Files.delete(dir.resolve("a.txt"));
      Files.delete(dir.resolve("docs/c.txt"));
      Files.delete(dir.resolve("docs"));
      Files.writeString(dir.resolve("docs"), "a file where the folder was");
      h.open();
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT, a));
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, c));
      int docsFile = handleOf(h, 0xFFFFFFFF, "docs");
      assertNotEquals(docs, docsFile, "a file replacing a folder is a new object");
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, docs));
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, c));
      h.assertClean();
    }
  }

  @Test
  void renamesAndMovesKeepTheHandleAcrossSessions() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = handleOf(h, 0xFFFFFFFF, "a.txt");
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int c = handleOf(h, docs, "c.txt");

      // By the host: rename, then move.
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE,
          TestHost.encode(PropertyValue.str("b.txt")), a, ObjectPropertyCode.OBJECT_FILE_NAME.value()));
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, a, STORAGE_1, docs));
      reopen(h);
      assertEquals("b.txt", info(h, a).filename());
      assertEquals(docs, info(h, a).parentObject());
      assertEquals("hello a", content(h, a));

      // On the device, between sessions: a file renamed, then (another gap) its folder. The next
      // listing recognises each (same inode and times) and keeps its handle; children follow.
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      Files.move(dir.resolve("docs/c.txt"), dir.resolve("docs/renamed.txt"));
      h.open();
      assertEquals(docs, handleOf(h, 0xFFFFFFFF, "docs"));
      assertEquals(c, handleOf(h, docs, "renamed.txt"));
      assertEquals("inside", content(h, c));
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      Files.move(dir.resolve("docs"), dir.resolve("papers"));
      h.open();
      assertEquals(docs, handleOf(h, 0xFFFFFFFF, "papers"));
      assertEquals("inside", content(h, c), "a child of the renamed folder follows it");
      assertEquals("hello a", content(h, a));
      h.assertClean();
    }
  }

  @Test
  void aRenameOnTheDeviceDuringASessionKeepsTheHandleAndRaisesObjectInfoChanged() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = handleOf(h, 0xFFFFFFFF, "a.txt");
      Files.move(dir.resolve("a.txt"), dir.resolve("moved-aside.txt"));
      Event e = awaitEvent(h);
      assertEquals(EventCode.OBJECT_INFO_CHANGED.value(), e.code(), "a rename is no removal: " + e);
      assertEquals(a, e.param(0));
      assertEquals("moved-aside.txt", info(h, a).filename());

      // A deletion and a new file in the same folder stay what they are, even if the new file
      // gets the deleted one's inode.
      Files.delete(dir.resolve("moved-aside.txt"));
      Files.writeString(dir.resolve("new.txt"), "new");
      Set<Integer> removed = new HashSet<>();
      Set<Integer> added = new HashSet<>();
      Event ev;
      while ((ev = h.link.pollEvent(1500, TimeUnit.MILLISECONDS)) != null) {
        if (ev.code() == EventCode.OBJECT_REMOVED.value()) removed.add(ev.param(0));
        if (ev.code() == EventCode.OBJECT_ADDED.value()) added.add(ev.param(0));
      }
      assertEquals(Set.of(a), removed);
      assertEquals(1, added.size());
      assertFalse(added.contains(a));
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, a));
      h.assertClean();
    }
  }

  private static Event awaitEvent(TestHost h) throws InterruptedException {
    Event e = h.link.pollEvent(10, TimeUnit.SECONDS);
    assertTrue(e != null, "no event");
    return e;
  }

  @Test
  void removingAStorageDropsItsHandles() throws Exception {
    MtpResponder r = Fixtures.responder(dir);
    try (TestHost h = new TestHost(r)) {
      h.open();
      int a = handleOf(h, 0xFFFFFFFF, "a.txt");
      r.removeStorage(STORAGE_1);
      reopen(h);
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, a));
      h.assertClean();
    }
  }
}
