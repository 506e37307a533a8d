package io.mtpbridge.sim.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.demo.JournalOwner;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.MtpResponder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo device with the journal owner as a real separate JVM over the Unix socket. */
class DemoBackupTest {
  @TempDir Path tmp;

  @Test void separateProcessOwnerTakesPartInBackupAndRestore() throws Exception {
    try (DemoBackup demo = DemoBackup.start(tmp, true)) {
      MtpResponder r = demo.install(MtpResponder.builder().install(StandardOperations.SET)).build();
      assertTrue(r.vendorExtensions().contains("mtpbridge.io/backup: 1.0;"));
      long end = System.currentTimeMillis() + 20_000;
      while (!journalReady(demo)) {
        if (System.currentTimeMillis() > end) throw new AssertionError("journal process never connected: " + Files.readString(tmp.resolve("journal-owner.log")));
        Thread.sleep(50);
      }
      BackupSession s = demo.engine().open(true, false, false, List.of(), List.of());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      s.readArchive(out);
      s.close(true);
      try (VerifiedArchive a = ArchiveReader.read(new ByteArrayInputStream(out.toByteArray()), new Staging(tmp.resolve("check"), 1 << 30))) {
        assertEquals(3, a.manifest().owners().size());
        for (Manifest.Owner o : a.manifest().owners()) assertEquals("ok", o.status(), o.id() + ": " + o.error());
      }
      Path entry = tmp.resolve("volumes/internal/journal/entries/entry-1");
      String before = Files.readString(entry);
      Files.writeString(entry, "tampered on the device");
      BackupSession rs = demo.engine().open(false, false, false, List.of(), List.of());
      assertTrue(rs.writeRestoreArchive(new ByteArrayInputStream(out.toByteArray())).allOk());
      rs.close(true);
      assertEquals(before, Files.readString(entry), "the other process restored its entry");
    }
  }

  private static boolean journalReady(DemoBackup demo) {
    for (OwnerInfo o : demo.engine().owners()) if (o.id().equals(JournalOwner.OWNER_ID)) return o.status() == OwnerStatus.READY;
    return false;
  }
}
