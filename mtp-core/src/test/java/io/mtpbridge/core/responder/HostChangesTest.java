package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.storage.ObjectPath;
import org.junit.jupiter.api.Test;

class HostChangesTest {
  private static final long SECOND = 1_000_000_000L;

  @Test void aChangeIsAnEchoForThreeSeconds() throws Exception {
    HostChanges c = new HostChanges();
    c.note(1, ObjectPath.of("a.txt"), 0);
    assertTrue(c.isEcho(1, ObjectPath.of("a.txt"), 2 * SECOND));
    assertFalse(c.isEcho(2, ObjectPath.of("a.txt"), 2 * SECOND));
    assertFalse(c.isEcho(1, ObjectPath.of("a.txt"), 3 * SECOND));
  }

  @Test void notingAgainExtendsTheWindow() throws Exception {
    HostChanges c = new HostChanges();
    c.note(1, ObjectPath.of("a.txt"), 0);
    c.note(1, ObjectPath.of("a.txt"), 2 * SECOND);
    c.note(1, ObjectPath.of("b.txt"), 3 * SECOND + 1); // expires the first note of a.txt, not its second
    assertTrue(c.isEcho(1, ObjectPath.of("a.txt"), 4 * SECOND));
    c.note(1, ObjectPath.of("b.txt"), 6 * SECOND);
    assertFalse(c.isEcho(1, ObjectPath.of("a.txt"), 6 * SECOND));
    assertEquals(1, c.size());
  }

  /**
   * The host deleting a folder of 100,000 files notes each; the old ledger searched all of itself
   * on every note once it held 4,096 (quadratic). Here each note is looked at once more, when it
   * expires.
   */
  @Test void manyChangesAtOnceCostLinearWork() throws Exception {
    HostChanges c = new HostChanges();
    long t = 0;
    for (int i = 0; i < 100_000; i++) {
      c.note(1, ObjectPath.of("folder", "file-" + i + ".jpg"), t);
      t += 100_000; // 100 us apart: 30,000 notes per window
    }
    assertTrue(c.examined() <= 100_000, "entries examined: " + c.examined());
    assertTrue(c.size() <= 30_001, "only the window's changes are kept: " + c.size());
    assertTrue(c.isEcho(1, ObjectPath.of("folder", "file-99999.jpg"), t));
    assertFalse(c.isEcho(1, ObjectPath.of("folder", "file-1.jpg"), t));
  }
}
