package io.mtpbridge.core.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetObjectPropList of every object (libmtp's device open) is streamed folder by folder in a data
 * phase of unknown length, and its element count is exact even when the tree changes while it is
 * answered; GetObjectHandles of every object walks the same way.
 */
class EveryObjectListingTest {
  private static final int ALL = 0xFFFFFFFF;
  @TempDir Path dir;

  private void tree() throws IOException {
    for (int f = 0; f < 3; f++) {
      Path folder = Files.createDirectories(dir.resolve("folder-" + f).resolve("inner"));
      for (int i = 0; i < 5; i++) Files.writeString(folder.getParent().resolve("file-" + i + ".txt"), "x".repeat(i));
      Files.writeString(folder.resolve("deep.jpg"), "deep");
    }
    Files.writeString(dir.resolve("top.txt"), "top");
  }

  private static MtpResponder responder(Storage s) {
    return MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(s)
        .build();
  }

  /** Elements by handle, checking that each object's elements are together (libmtp counts objects by handle changes). */
  private static Map<Integer, Map<Integer, PropertyValue>> byHandle(ObjectPropList list) {
    Map<Integer, Map<Integer, PropertyValue>> out = new HashMap<>();
    Set<Integer> finished = new HashSet<>();
    int current = 0;
    for (ObjectPropList.Element e : list.elements()) {
      if (e.objectHandle() != current) {
        if (current != 0) finished.add(current);
        current = e.objectHandle();
        assertTrue(!finished.contains(current), "the elements of object " + current + " are not together");
      }
      out.computeIfAbsent(e.objectHandle(), h -> new HashMap<>()).put(e.propertyCode(), e.value());
    }
    return out;
  }

  @Test void everyObjectIsStreamedWithAnUnknownLengthAndMatchesTheFolderByFolderAnswers() throws Exception {
    tree();
    try (TestHost h = new TestHost(responder(new FileSystemStorage("S", dir, false)))) {
      h.open();
      LoopbackExchange all = h.tx(OperationCode.GET_OBJECT_PROP_LIST, ALL, 0, ALL, 0, ALL);
      assertEquals(-1, all.announcedLength(), "a data phase of unknown length (0xFFFFFFFF)");
      ObjectPropList list = ObjectPropList.decode(h.ok(all));
      Map<Integer, Map<Integer, PropertyValue>> objects = byHandle(list);
      assertEquals(3 + 3 + 15 + 3 + 1, objects.size(), "folders, inner folders, files, deep files, top file");
      // the same objects, with the same values, as the host gets asking folder by folder
      Set<Integer> walked = new LinkedHashSet<>();
      List<Integer> folders = new ArrayList<>(List.of(ALL));
      for (int i = 0; i < folders.size(); i++) {
        for (int handle : h.handles(Fixtures.STORAGE_1, 0, folders.get(i))) {
          walked.add(handle);
          ObjectPropList one = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, handle, 0, ALL, 0, 0)));
          assertEquals(byHandle(one).get(handle), objects.get(handle), "properties of " + handle);
          if (((PropertyValue.Int) objects.get(handle).get(ObjectPropertyCode.OBJECT_FORMAT.value())).value() == 0x3001) folders.add(handle);
        }
      }
      assertEquals(walked, objects.keySet());
      // GetObjectHandles and GetNumObjects of every object walk the same tree
      int[] every = h.handles(Fixtures.STORAGE_1, 0, 0);
      assertEquals(walked, toSet(every));
      assertEquals(walked.size(), h.tx(OperationCode.GET_NUM_OBJECTS, Fixtures.STORAGE_1, 0, 0).param(0));
      // a format filter counts and answers only that format
      ObjectPropList jpegs = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, ALL, 0x3801, ALL, 0, ALL)));
      assertEquals(3, byHandle(jpegs).size());
    }
  }

  private static Set<Integer> toSet(int[] a) {
    Set<Integer> s = new LinkedHashSet<>();
    for (int x : a) s.add(x);
    return s;
  }

  @Test void anObjectDeletedBetweenTheCountAndTheAnswerIsStillAnsweredAndTheCountHolds() throws Exception {
    tree();
    Files.writeString(dir.resolve("folder-1/victim.txt"), "abc");
    FileSystemStorage fs = new FileSystemStorage("S", dir, false);
    AtomicInteger listings = new AtomicInteger();
    // The second walk reads each folder again; before it reads folder-1, a file there is deleted
    // and another one appears: the answer still has the deleted file (without size or times) and
    // not the new one, and the count matches the elements.
    Storage storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, (proxy, m, args) -> {
      if (m.getName().equals("list") && args[0].equals(ObjectPath.of("folder-1")) && listings.incrementAndGet() == 2) {
        Files.delete(dir.resolve("folder-1/victim.txt"));
        Files.writeString(dir.resolve("folder-1/new.txt"), "new");
      }
      try {
        return m.invoke(fs, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    });
    try (TestHost h = new TestHost(responder(storage))) {
      h.open();
      ObjectPropList list = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, ALL, 0, ALL, 0, ALL)));
      Map<Integer, Map<Integer, PropertyValue>> objects = byHandle(list);
      assertEquals(26, objects.size());
      Map<String, Map<Integer, PropertyValue>> byName = new HashMap<>();
      for (var o : objects.values()) byName.put(((PropertyValue.Str) o.get(ObjectPropertyCode.OBJECT_FILE_NAME.value())).value(), o);
      assertTrue(byName.containsKey("victim.txt"), "the file counted in the first walk is answered");
      assertEquals(0L, ((PropertyValue.Int) byName.get("victim.txt").get(ObjectPropertyCode.OBJECT_SIZE.value())).value());
      assertTrue(!byName.containsKey("new.txt"), "the file that appeared after the count is not");
      assertEquals(3L, ((PropertyValue.Int) byName.get("top.txt").get(ObjectPropertyCode.OBJECT_SIZE.value())).value());
    }
  }

  /**
   * A walk of every object does not put an inotify watch on every folder of a big tree (the
   * kernel's per-user limit, 8,192 by default on many systems, would run out): at most
   * {@link ObjectSelection#WALK_WATCHES}; folders the host opens one by one are still watched.
   */
  @Test void aWalkOfEveryObjectWatchesABoundedNumberOfFolders() throws Exception {
    int folders = ObjectSelection.WALK_WATCHES + 100;
    for (int f = 0; f < folders; f++) {
      Path folder = Files.createDirectories(dir.resolve("f-" + f));
      Files.writeString(folder.resolve("a.txt"), "a");
    }
    FileSystemStorage fs = new FileSystemStorage("S", dir, false);
    Set<ObjectPath> watched = new HashSet<>();
    Storage storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, (proxy, m, args) -> {
      if (m.getName().equals("watch")) {
        synchronized (watched) {
          watched.add((ObjectPath) args[0]);
        }
      }
      try {
        return m.invoke(fs, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    });
    try (TestHost h = new TestHost(responder(storage))) {
      h.open();
      ObjectPropList list = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, ALL, 0, ALL, 0, ALL)));
      assertEquals(2 * folders, byHandle(list).size(), "every folder and file is answered");
      assertEquals(2 * folders, h.handles(Fixtures.STORAGE_1, 0, 0).length);
      synchronized (watched) {
        assertTrue(watched.size() <= ObjectSelection.WALK_WATCHES, "folders watched by walks: " + watched.size());
        assertTrue(watched.contains(ObjectPath.ROOT), "the storage root is watched");
      }
      // a folder the host opens is watched, whether or not a walk reached it
      int[] top = h.handles(Fixtures.STORAGE_1, 0, ALL);
      assertEquals(folders, top.length);
      for (int handle : top) h.handles(Fixtures.STORAGE_1, 0, handle);
      synchronized (watched) {
        assertEquals(folders + 1, watched.size(), "every opened folder and the root");
      }
    }
  }
}
