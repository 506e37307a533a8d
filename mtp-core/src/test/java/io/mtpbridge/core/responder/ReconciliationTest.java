package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.storage.ListingOnlyStorage;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A listing reconciles a folder's children slot by slot in listing order and falls back to a map
 * of names when the order differs. Whatever the storage does between listings (adds, deletes,
 * reorders, replaces a file by a folder of the same name) and whatever the host removed meanwhile,
 * a name that stays the same kind of object keeps its handle, every other one gets a handle never
 * used before, and the listing's handles, nodes and metadata agree with the index.
 */
class ReconciliationTest {

  /** A folder whose entries, and their order, the test sets. */
  static final class Folder extends ListingOnlyStorage {
    final List<ObjectMetadata> entries = new ArrayList<>();
    @Override public Stream<ObjectMetadata> list(ObjectPath f) {
      return f.isRoot() ? new ArrayList<>(entries).stream() : Stream.empty();
    }
  }

  @Property(tries = 200)
  void handlesFollowNamesWhateverTheOrder(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    Folder storage = new Folder();
    ObjectIndex index = new ObjectIndex();
    ObjectNode root = index.root(new StorageSlot(0x00010001, storage));
    Map<String, Integer> handleOf = new HashMap<>(); // name -> handle, as last listed
    Map<String, Boolean> folderOf = new HashMap<>();
    Set<Integer> everUsed = new HashSet<>();
    int nextName = 0;
    for (int step = 0; step < 12; step++) {
      // change the folder
      int adds = random.nextInt(step == 0 ? 40 : 6);
      for (int i = 0; i < adds; i++) {
        String name = (random.nextBoolean() ? "IMG_" : "d") + (nextName++) + (random.nextInt(4) == 0 ? "\u00e9" : "");
        storage.entries.add(random.nextInt(storage.entries.size() + 1), meta(name, random.nextInt(5) == 0));
      }
      for (int i = random.nextInt(3); i > 0 && !storage.entries.isEmpty(); i--) storage.entries.remove(random.nextInt(storage.entries.size()));
      if (!storage.entries.isEmpty() && random.nextInt(4) == 0) {
        int i = random.nextInt(storage.entries.size());
        ObjectMetadata m = storage.entries.get(i);
        storage.entries.set(i, meta(m.name(), !m.folder())); // same name, another kind of object
      }
      if (random.nextInt(3) == 0) Collections.shuffle(storage.entries, random);
      else if (random.nextInt(3) == 0 && storage.entries.size() > 1) Collections.swap(storage.entries, 0, storage.entries.size() - 1);
      if (random.nextInt(4) == 0 && !handleOf.isEmpty()) {
        // the host deleted one (its slot is now dead in the old table) and the storage still shows it
        List<String> known = new ArrayList<>(handleOf.keySet());
        String gone = known.get(random.nextInt(known.size()));
        index.remove(index.find(handleOf.get(gone)));
        handleOf.remove(gone);
      }

      ObjectIndex.Listing l = index.listWithMetadata(root);

      assertEquals(storage.entries.size(), l.size());
      Map<String, Integer> now = new HashMap<>();
      for (int i = 0; i < l.size(); i++) {
        ObjectMetadata m = l.metadata(i);
        assertEquals(storage.entries.get(i), m, "listing order is the storage's");
        int h = l.handle(i);
        ObjectNode n = l.node(i);
        assertEquals(h, n.handle());
        assertEquals(m.name(), n.name());
        assertEquals(m.folder(), n.isFolder());
        assertEquals(n, index.find(h));
        Integer before = handleOf.get(m.name());
        if (before != null && folderOf.get(m.name()) == m.folder()) {
          assertEquals(before, h, m.name() + " keeps its handle");
        } else {
          assertTrue(everUsed.add(h), m.name() + " gets a handle never used before");
        }
        everUsed.add(h);
        now.put(m.name(), h);
      }
      for (Map.Entry<String, Integer> e : handleOf.entrySet()) {
        if (!e.getValue().equals(now.get(e.getKey()))) assertNull(index.find(e.getValue()), e.getKey() + "'s old handle is gone");
      }
      List<String> known = new ArrayList<>();
      for (ObjectNode n : index.knownChildren(root)) known.add(n.name());
      Collections.sort(known);
      List<String> listed = new ArrayList<>(now.keySet());
      Collections.sort(listed);
      assertEquals(listed, known);
      assertEquals(l.size(), index.size());
      assertFalse(index.isDamaged());
      handleOf = now;
      folderOf.clear();
      for (ObjectMetadata m : storage.entries) folderOf.put(m.name(), m.folder());
      for (String name : now.keySet()) assertNotNull(index.lookup(root.storage, ObjectPath.of(name)));
    }
  }

  private static ObjectMetadata meta(String name, boolean folder) {
    return folder ? ObjectMetadata.folder(name, Instant.EPOCH) : ObjectMetadata.file(name, name.length(), Instant.EPOCH);
  }
}
