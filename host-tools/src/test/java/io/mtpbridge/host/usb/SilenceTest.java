package io.mtpbridge.host.usb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SilenceTest {
  @Test void thirtySecondsOfEmptySlicesIsTheLimit() {
    Silence s = new Silence(30_000);
    for (int i = 0; i < 119; i++) {
      s.after(s.nextWait(250), 250, 0);
      assertFalse(s.over(), "slice " + i);
    }
    s.after(s.nextWait(250), 250, 0);
    assertTrue(s.over());
  }

  @Test void dataArrivingKeepsASlowTransferGoing() {
    Silence s = new Silence(30_000);
    for (int i = 0; i < 10_000; i++) s.after(250, 250, i % 100 == 99 ? 512 : 0); // 512 bytes every 25 s
    assertFalse(s.over());
  }

  /** Before: a wall-clock deadline, so a host stopped for a minute mid-transfer failed the moment it resumed. */
  @Test void aPauseOfThisProcessIsNotTheDevicesSilence() {
    Silence s = new Silence(30_000);
    s.after(250, 90_000, 0); // stopped with SIGSTOP in the middle of a slice
    assertFalse(s.over());
    assertEquals(250, s.nextWait(250));
  }

  @Test void theLastSliceIsCutToTheLimitAndNoLimitMeansNone() {
    Silence s = new Silence(300);
    s.after(s.nextWait(250), 250, 0);
    assertEquals(50, s.nextWait(250));
    Silence none = new Silence(0);
    for (int i = 0; i < 1000; i++) none.after(250, 250, 0);
    assertFalse(none.over());
  }
}
