package io.mtpbridge.backup.mtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.backup.engine.OwnerOutcome;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * status.txt and the result files are read by programs on the host: under a Turkish locale they
 * said "waıtıng" and "faıled: ..." (the default locale's lower case of I is a dotless ı).
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

  @Test void folderStates() {
    assertEquals("waiting", BackupFolders.State.WAITING.label());
    assertEquals("failed", BackupFolders.State.FAILED.label());
  }

  @Test void ownerOutcomes() {
    assertEquals("failed: disk full", OwnerOutcome.failed("disk full").toString());
    assertEquals("skipped: not registered", OwnerOutcome.skipped("not registered").toString());
    assertEquals("restored", OwnerOutcome.RESTORED.toString());
  }
}
