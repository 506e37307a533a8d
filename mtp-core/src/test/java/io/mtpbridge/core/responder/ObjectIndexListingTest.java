package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing that fails part-way leaves the handle index exactly as it was: no handle that names
 * nothing the tree knows, no known object dropped from its folder.
 */
class ObjectIndexListingTest {
  @TempDir Path dir;

  @Test
  void aListingThatFailsPartWayChangesNothing() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("b.txt"), "b");
    Files.writeString(dir.resolve("c.txt"), "c");
    StorageSlot slot = new StorageSlot(0x00010001, new FileSystemStorage("S", dir, false));
    // room for four more handles: the first listing takes three
    ObjectIndex index = new ObjectIndex(0xFFFFFFFE - 4);
    ObjectNode root = index.root(slot);
    Map<String, Integer> before = new HashMap<>();
    for (ObjectNode n : index.list(root)) before.put(n.name(), n.handle());
    assertEquals(3, before.size());

    // Two new files need two handles; only one is left, so the second reservation fails (as an
    // OutOfMemoryError would, half-way through a big folder).
    Files.writeString(dir.resolve("d.txt"), "d");
    Files.writeString(dir.resolve("e.txt"), "e");
    Files.delete(dir.resolve("c.txt"));
    assertThrows(IllegalStateException.class, () -> index.list(root));

    Map<String, Integer> after = new HashMap<>();
    for (ObjectNode n : index.knownChildren(root)) after.put(n.name(), n.handle());
    assertEquals(before, after, "the folder's known children are those of the last good listing");
    for (Map.Entry<String, Integer> e : before.entrySet()) {
      ObjectNode n = index.find(e.getValue());
      assertEquals(n, index.lookup(slot, ObjectPath.of(e.getKey())), e.getKey() + " is still reachable by path and handle");
    }
    assertNull(index.find(0xFFFFFFFE - 4 + 4), "no handle was handed out for an object the tree does not hold");
    assertEquals(3, index.size());
    assertFalse(index.isDamaged());
    assertEquals(List.of("a.txt", "b.txt", "c.txt"), index.knownChildren(root).stream().map(ObjectNode::name).sorted().toList());
  }
}
