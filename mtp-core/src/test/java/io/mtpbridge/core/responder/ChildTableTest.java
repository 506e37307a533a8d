package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChildTableTest {
  @Test void childrenAreFoundByHandleAndByName() {
    ChildTable t = new ChildTable();
    t.add(5, "a.jpg", false, 0x3000, 1, 2);
    t.add(9, "Ünïcödé 名前.txt", false, 0x3000, 3, 4);
    t.add(12, "DCIM", true, 0x3000, 5, 6);
    assertEquals(3, t.size());
    int i = t.indexOf(9);
    assertEquals("Ünïcödé 名前.txt", t.name(i));
    assertEquals(i, t.indexOfName("Ünïcödé 名前.txt"));
    assertEquals(3, t.identity(i));
    assertEquals(4, t.content(i));
    assertTrue(t.isFolder(t.indexOf(12)));
    assertFalse(t.isFolder(t.indexOf(5)));
    assertEquals(-1, t.indexOf(6));
    assertEquals(-1, t.indexOfName("a.JPG"));
  }

  @Test void namesCompareWithoutDecodingAndCopyAcrossTables() {
    ChildTable t = new ChildTable();
    String[] names = {"a.jpg", "Ünïcödé 名前.txt", "x\uD83D\uDE00y", "ab", "é"};
    for (int i = 0; i < names.length; i++) t.add(10 + i, names[i], false, 0x3000, i, i);
    for (int i = 0; i < names.length; i++) {
      for (int j = 0; j < names.length; j++) assertEquals(i == j, t.nameEquals(i, names[j]), names[i] + " vs " + names[j]);
    }
    assertFalse(t.nameEquals(0, "a.jp"));
    assertFalse(t.nameEquals(0, "a.jpgx"));
    assertFalse(t.nameEquals(0, "A.jpg"));
    assertFalse(t.nameEquals(3, "a\u00e9"), "as many units, other bytes");
    assertFalse(t.nameEquals(4, "e"));
    ChildTable copy = new ChildTable(2, 4);
    copy.addNamedAs(t, 1, 11, false, 0x3000, 7, 8);
    copy.addNamedAs(t, 2, 12, true, 0x3001, 9, 10);
    copy.addNamedAs(t, 0, 5, false, 0x3000, 0, 0); // an older handle: still kept in order
    assertEquals(names[1], copy.name(copy.indexOf(11)));
    assertEquals(names[2], copy.name(copy.indexOf(12)));
    assertEquals(names[0], copy.name(copy.indexOf(5)));
    assertEquals(0, copy.indexOf(5));
    assertTrue(copy.isFolder(copy.indexOf(12)));
    assertEquals(copy.indexOf(11), copy.indexOfName(names[1]));
  }

  @Test void anOlderHandleMovingInKeepsTheOrder() {
    ChildTable t = new ChildTable();
    t.add(10, "b", false, 0x3000, 0, 0);
    t.add(20, "c", false, 0x3000, 0, 0);
    t.add(15, "moved", false, 0x3000, 0, 0);
    t.add(3, "first", false, 0x3000, 0, 0);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < t.slots(); i++) order.add(t.handle(i));
    assertEquals(List.of(3, 10, 15, 20), order);
    assertEquals("moved", t.name(t.indexOf(15)));
    assertThrows(IllegalArgumentException.class, () -> t.add(10, "again", false, 0x3000, 0, 0));
  }

  @Test void removedAndRenamedChildrenAndCompaction() {
    ChildTable t = new ChildTable();
    for (int h = 1; h <= 100; h++) t.add(h, "file-" + h, false, 0x3000, h, -h);
    for (int h = 1; h <= 60; h++) t.remove(t.indexOf(h));
    assertEquals(40, t.size());
    assertEquals(-1, t.indexOf(1));
    assertEquals(-1, t.indexOfName("file-1"));
    t.rename(t.indexOf(70), "renamed");
    assertTrue(t.slots() < 100, "compacted");
    assertEquals("renamed", t.name(t.indexOf(70)));
    assertEquals(-70, t.content(t.indexOf(70)));
    assertEquals(-1, t.indexOfName("file-70"));
    assertEquals("file-100", t.name(t.indexOfName("file-100")));
  }

  @Test void agreesWithAModelUnderRandomChanges() {
    Random r = new Random(5);
    ChildTable t = new ChildTable();
    TreeMap<Integer, String> model = new TreeMap<>();
    int next = 1;
    for (int step = 0; step < 20_000; step++) {
      int op = r.nextInt(10);
      if (op < 5 || model.isEmpty()) {
        next += 1 + r.nextInt(3);
        String name = "n" + r.nextInt(1_000_000) + (r.nextBoolean() ? "é" : "");
        t.add(next, name, r.nextBoolean(), 0x3000, next, 0);
        model.put(next, name);
      } else {
        int h = new ArrayList<>(model.keySet()).get(r.nextInt(model.size()));
        int i = t.indexOf(h);
        if (op < 8) {
          t.remove(i);
          t.compactIfWasteful();
          model.remove(h);
        } else {
          String name = "r" + step;
          t.rename(i, name);
          model.put(h, name);
        }
      }
    }
    assertEquals(model.size(), t.size());
    List<Integer> live = new ArrayList<>();
    for (int i = 0; i < t.slots(); i++) if (t.isLive(i)) live.add(t.handle(i));
    assertEquals(new ArrayList<>(model.keySet()), live);
    for (var e : model.entrySet()) assertEquals(e.getValue(), t.name(t.indexOf(e.getKey())));
  }

  @Test void aMillionChildrenTakeAboutThirtyBytesEachPlusNames() {
    ChildTable t = new ChildTable();
    for (int h = 1; h <= 1_000_000; h++) t.add(h, String.format("IMG_%07d.jpg", h), false, 0x3000, h, h);
    long perChild = t.footprint() / 1_000_000;
    assertTrue(perChild < 40, "bytes per child: " + perChild);
  }
}
