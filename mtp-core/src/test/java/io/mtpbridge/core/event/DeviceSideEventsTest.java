package io.mtpbridge.core.event;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.DevicePropertyCode;
import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.core.transport.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes made on the device side reach the host as events; the host's own changes do not echo;
 * nothing is sent outside a session; bursts are coalesced.
 */
class DeviceSideEventsTest {
  @TempDir Path dir;
  @TempDir Path dir2;

  /** Events until {@code quietMillis} pass without one. */
  static List<Event> settle(TestHost h, long quietMillis) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    Event e;
    while ((e = h.link.pollEvent(quietMillis, TimeUnit.MILLISECONDS)) != null) out.add(e);
    return out;
  }

  /**
   * Makes a device-side change that must raise ObjectAdded (a new file in {@code folder}, which the
   * host has listed) and returns the events that came before it. Changes are handled in order, so
   * every change made before the sentinel has been handled by then: "no event" is proven against
   * a live watcher and event thread, not just a quiet one.
   */
  static List<Event> eventsBeforeSentinel(TestHost h, Path folder) throws Exception {
    String name = "sentinel-" + System.nanoTime() + ".txt";
    Files.writeString(folder.resolve(name), "s");
    return EventRaceTest.eventsUntilAdded(h, name);
  }

  static Event await(TestHost h, EventCode code) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      Event e = h.link.pollEvent(200, TimeUnit.MILLISECONDS);
      if (e != null && e.code() == code.value()) return e;
    }
    return null;
  }

  @Test
  void addedChangedAndRemovedFilesInAListedFolderRaiseEvents() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      assertEquals(0, h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF).length); // lists (and watches) the root
      Files.writeString(dir.resolve("new.txt"), "made on the device");
      Event added = await(h, EventCode.OBJECT_ADDED);
      assertNotNull(added, "ObjectAdded");
      int handle = added.param(0);
      ObjectInfo info = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle)));
      assertEquals("new.txt", info.filename());
      settle(h, 300);

      Files.writeString(dir.resolve("new.txt"), "changed on the device, longer");
      Event changed = await(h, EventCode.OBJECT_INFO_CHANGED);
      assertNotNull(changed, "ObjectInfoChanged");
      assertEquals(handle, changed.param(0));
      settle(h, 300);

      Files.delete(dir.resolve("new.txt"));
      Event removed = await(h, EventCode.OBJECT_REMOVED);
      assertNotNull(removed, "ObjectRemoved");
      assertEquals(handle, removed.param(0));
      expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, handle));
      h.assertClean();
    }
  }

  @Test
  void aFolderListedInAnEarlierSessionIsWatchedInTheNextOne() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF);
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      h.open(); // the host keeps its handles and does not list again
      Files.writeString(dir.resolve("later.txt"), "x");
      Event added = await(h, EventCode.OBJECT_ADDED);
      assertNotNull(added, "ObjectAdded without a new listing");
      assertEquals("later.txt", ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, added.param(0)))).filename());
      h.assertClean();
    }
  }

  @Test
  void theHostsOwnChangesDoNotEcho() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a");
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF)[0];
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("up.txt", 3), Fixtures.STORAGE_1, 0));
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {1, 2, 3}));
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("b.txt")), a, 0xDC07));
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, a, 0));
      assertEquals(List.of(), eventsBeforeSentinel(h, dir), "no echo of the host's own upload, rename and delete");
      h.assertClean();
    }
  }

  @Test
  void nothingIsSentOutsideASessionOrForUnlistedFolders() throws Exception {
    Files.createDirectory(dir.resolve("never-listed"));
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF);
      Files.writeString(dir.resolve("never-listed/x.txt"), "x");
      assertEquals(List.of(), eventsBeforeSentinel(h, dir), "the host never listed that folder");
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      Files.writeString(dir.resolve("outside-session.txt"), "x");
      assertEquals(List.of(), settle(h, 300), "nothing while no session is open");
      h.open(); // the root is watched again; a sentinel proves the watcher and event thread are alive
      assertEquals(List.of(), eventsBeforeSentinel(h, dir), "no late event for the change made outside the session");
      h.assertClean();
    }
  }

  @Test
  void aBurstIsCoalescedToOneEventPerObject() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF);
      for (int i = 0; i < 40; i++) {
        Path p = dir.resolve("f" + i + ".txt");
        Files.writeString(p, "1");
        Files.writeString(p, "12");
        Files.writeString(p, "123");
      }
      List<Event> events = eventsBeforeSentinel(h, dir);
      long added = events.stream().filter(e -> e.code() == EventCode.OBJECT_ADDED.value()).count();
      long distinct = events.stream().filter(e -> e.code() == EventCode.OBJECT_ADDED.value()).map(e -> e.param(0)).distinct().count();
      assertEquals(40, added, "one ObjectAdded per file: " + events);
      assertEquals(40, distinct);
      assertEquals(41, h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF).length, "the 40 and the sentinel");
      h.assertClean();
    }
  }

  @Test
  void storeAddedRemovedAndDevicePropChanged() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      var slot = h.responder.addStorage(new FileSystemStorage("Card", dir2, false));
      Event e = await(h, EventCode.STORE_ADDED);
      assertNotNull(e);
      assertEquals(slot.id(), e.param(0));
      assertEquals(2, h.storageIds().length);
      h.responder.deviceProperties().setFromDevice(DevicePropertyCode.DEVICE_FRIENDLY_NAME.value(), PropertyValue.str("Renamed locally"));
      Event p = await(h, EventCode.DEVICE_PROP_CHANGED);
      assertNotNull(p);
      assertEquals(DevicePropertyCode.DEVICE_FRIENDLY_NAME.value(), p.param(0));
      h.responder.removeStorage(slot.id());
      Event r = await(h, EventCode.STORE_REMOVED);
      assertNotNull(r);
      assertEquals(1, h.storageIds().length);
      expect(ResponseCode.INVALID_STORAGE_ID, h.tx(OperationCode.GET_STORAGE_INFO, slot.id()));
      assertTrue(h.responder.supportedEvents().contains(EventCode.STORE_ADDED.value()));
      h.assertClean();
    }
  }
}
