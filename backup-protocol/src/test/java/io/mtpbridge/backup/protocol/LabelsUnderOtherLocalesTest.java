package io.mtpbridge.backup.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Labels are protocol text (status files, the PC tool's output and JSON), not prose: a device or
 * PC whose locale is Turkish must still say "failed", not "faıled" (before: the default locale's
 * lower case turned every I into a dotless ı).
 */
class LabelsUnderOtherLocalesTest {
  private Locale saved;

  @BeforeEach void turkish() {
    saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
  }

  @AfterEach void restore() {
    Locale.setDefault(saved);
  }

  @Test void ownerStatusLabels() {
    assertEquals("failed", OwnerStatus.FAILED.label());
    assertEquals("not-found", OwnerStatus.NOT_FOUND.label());
    assertEquals("ready-no-impl", OwnerStatus.READY_NO_IMPL.label());
    for (OwnerStatus s : OwnerStatus.values()) assertTrue(s.label().matches("[a-z-]+"), s.label());
  }

  @Test void sessionStateLabels() {
    assertEquals("transferring", SessionState.TRANSFERRING.label());
    for (SessionState s : SessionState.values()) assertTrue(s.label().matches("[a-z]+"), s.label());
  }
}
