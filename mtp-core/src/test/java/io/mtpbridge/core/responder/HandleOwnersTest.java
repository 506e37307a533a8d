package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandleOwnersTest {
  @Test void unknownHandlesHaveNoOwner() {
    HandleOwners o = new HandleOwners();
    assertEquals(-1, o.ownerOf(1));
    o.put(10, 3);
    assertEquals(-1, o.ownerOf(9));
    assertEquals(3, o.ownerOf(10));
    assertEquals(-1, o.ownerOf(11));
  }

  @Test void aFolderListedInOneGoIsOneRun() {
    HandleOwners o = new HandleOwners();
    for (int h = 1; h <= 1000; h++) o.put(h, 7);
    for (int h = 1001; h <= 2000; h++) o.put(h, 8);
    assertEquals(2, o.runs());
    assertEquals(7, o.ownerOf(1000));
    assertEquals(8, o.ownerOf(1001));
  }

  @Test void aMoveSplitsItsRunAndMovingBackMergesIt() {
    HandleOwners o = new HandleOwners();
    for (int h = 1; h <= 10; h++) o.put(h, 1);
    o.put(5, 2);
    assertEquals(3, o.runs());
    assertEquals(1, o.ownerOf(4));
    assertEquals(2, o.ownerOf(5));
    assertEquals(1, o.ownerOf(6));
    o.put(5, 1);
    assertEquals(1, o.runs());
    o.put(1, 3);
    o.put(10, 3);
    assertEquals(3, o.ownerOf(1));
    assertEquals(1, o.ownerOf(2));
    assertEquals(3, o.ownerOf(10));
  }

  @Test void aHandleBelowEveryRunSoFar() {
    HandleOwners o = new HandleOwners();
    o.put(10, 1);
    o.put(5, 2);
    o.put(9, 1);
    assertEquals(2, o.ownerOf(5));
    assertEquals(-1, o.ownerOf(6));
    assertEquals(1, o.ownerOf(9));
    assertEquals(1, o.ownerOf(10));
    assertEquals(-1, o.ownerOf(4));
  }

  @Test void handlesAboveTwoToTheThirtyOneWork() {
    HandleOwners o = new HandleOwners();
    o.put(0x7FFFFFFF, 1);
    o.put(0x80000000, 1);
    o.put(0xFFFFFFFE, 2);
    assertEquals(1, o.ownerOf(0x80000000));
    assertEquals(-1, o.ownerOf(0x80000001));
    assertEquals(2, o.ownerOf(0xFFFFFFFE));
  }

  @Test void agreesWithAMapUnderRandomPutsAndMoves() {
    Random r = new Random(11);
    for (int round = 0; round < 50; round++) {
      HandleOwners o = new HandleOwners();
      Map<Integer, Integer> model = new HashMap<>();
      int next = 10 + r.nextInt(5);
      for (int step = 0; step < 2000; step++) {
        int folder = r.nextInt(6);
        int h;
        if (r.nextInt(20) == 0) {
          h = 1 + r.nextInt(next + 5); // anywhere, also below or above every run so far
          next = Math.max(next, h);
        } else if (model.isEmpty() || r.nextInt(3) > 0) {
          next += r.nextInt(10) == 0 ? 2 + r.nextInt(5) : 1;
          h = next;
        } else {
          h = new java.util.ArrayList<>(model.keySet()).get(r.nextInt(model.size()));
        }
        o.put(h, folder);
        model.put(h, folder);
      }
      for (int h = 0; h <= next + 2; h++) assertEquals(model.getOrDefault(h, -1), o.ownerOf(h), "handle " + h);
      assertTrue(o.runs() <= model.size());
    }
  }
}
