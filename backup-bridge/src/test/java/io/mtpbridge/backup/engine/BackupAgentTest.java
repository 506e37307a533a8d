package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.BackupAgent;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream-based owner base class against the real engine, in-process and over the socket. */
class BackupAgentTest {
  @TempDir Path tmp;
  EngineFixture fx;

  /**
   * A counter kept as one line of text: a backup writes "set N" (base) or "add K" (increment);
   * the snapshot is the value backed up. No checksum: that is optional.
   */
  static final class Counter extends BackupAgent {
    volatile long value;
    final List<String> restored = new CopyOnWriteArrayList<>();
    final Path spool;

    Counter(long value, Path spool) {
      this.value = value;
      this.spool = spool;
    }

    @Override protected Path spoolDirectory() { return spool; }

    @Override protected void backup(String volume, InputStream previous, OutputStream data, OutputStream snapshot) throws IOException {
      long now = value;
      if (previous == null) data.write(("set " + now).getBytes(StandardCharsets.UTF_8));
      else data.write(("add " + (now - Long.parseLong(new String(previous.readAllBytes(), StandardCharsets.UTF_8)))).getBytes(StandardCharsets.UTF_8));
      snapshot.write(Long.toString(now).getBytes(StandardCharsets.UTF_8));
    }

    @Override protected void restore(String volume, List<RestorePart> chain) throws IOException {
      long v = value;
      for (RestorePart p : chain) {
        String[] op;
        try (InputStream in = p.open()) {
          op = new String(in.readAllBytes(), StandardCharsets.UTF_8).split(" ");
        }
        restored.add((p.isBase() ? "base " : "increment ") + String.join(" ", op));
        v = op[0].equals("set") ? Long.parseLong(op[1]) : v + Long.parseLong(op[1]);
      }
      value = v;
    }
  }

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp.resolve("device"));
    fx.registerActive("t.counter", true, 5000);
  }

  @AfterEach void tearDown() { fx.close(); }

  private static long entriesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) return 0;
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test void incrementalChainIsAppliedAtCommitOnlyAndNoChecksumIsNoFailure() throws Exception {
    fx.start(Duration.ofSeconds(5));
    Counter c = new Counter(10, tmp.resolve("spool"));
    c.connect(fx.socket, "t.counter");
    byte[] base = fx.backup(false, List.of(), null);
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(base), new Staging(tmp.resolve("check"), 1 << 30))) {
      Manifest.Owner o = a.manifest().owners().get(0);
      assertEquals("ok", o.status(), String.valueOf(o.error()));
      assertNull(o.volumes().get(0).checksum(), "an owner without a checksum records none");
    }
    c.value = 15;
    byte[] inc = fx.backup(false, List.of(), base);
    c.value = 99;

    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    s.writeRestoreArchive(EngineFixture.in(base));
    s.writeRestoreArchive(EngineFixture.in(inc));
    assertEquals(List.of(), c.restored, "nothing applied before commit");
    s.close(true);
    assertEquals(List.of("base set 10", "increment add 5"), c.restored);
    assertEquals(15, c.value);
    assertEquals(OwnerOutcome.RESTORED, s.restoreOutcomes().get("t.counter"));
    assertEquals(0, entriesUnder(tmp.resolve("spool")), "the kept streams are removed after the restore");
  }

  @Test void anAbortedRestoreNeverReachesTheOwnerAndLeavesNothingKept() throws Exception {
    fx.start(Duration.ofSeconds(5));
    Counter c = new Counter(7, tmp.resolve("spool"));
    c.connect(fx.engine, "t.counter");
    byte[] base = fx.backup(false, List.of(), null);
    c.value = 8;
    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    s.writeRestoreArchive(EngineFixture.in(base));
    s.close(false);
    BackupRestoreScenariosTest.waitFor(() -> {
      try {
        return entriesUnder(tmp.resolve("spool")) == 0;
      } catch (IOException e) {
        return false;
      }
    });
    assertEquals(List.of(), c.restored);
    assertEquals(8, c.value);
  }

  /**
   * The readiness handle comes with the mode change, so an owner that connects while a session
   * waits for it (the listener runs before connect has even returned) confirms from inside.
   */
  @Test void ownerConnectingDuringTheReadinessWaitConfirmsFromItsCallback() throws Exception {
    fx.start(Duration.ofSeconds(10));
    for (int i = 0; i < 20; i++) {
      BackupSession s = fx.engine.open(true, false, false, List.of(), List.of());
      Counter c = new Counter(i, tmp.resolve("spool"));
      var client = c.connect(fx.engine, "t.counter");
      s.awaitReadiness(Duration.ofSeconds(10));
      assertEquals(OwnerStatus.READY, s.status().owners().get(0).status(), "round " + i);
      s.close(false);
      client.close();
    }
  }

  /** An owner whose backup throws fails alone, with the reason. */
  @Test void aThrowingBackupFailsTheOwnerWithTheReason() throws Exception {
    fx.registerPassive("org.example.notes", "notes");
    fx.start(Duration.ofSeconds(5));
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.writeString(fx.internal.resolve("notes/a.txt"), "alpha");
    BackupAgent broken = new BackupAgent() {
      @Override protected void backup(String v, InputStream p, OutputStream d, OutputStream s) throws IOException {
        d.write(new byte[200_000]);
        throw new IOException("database is locked");
      }

      @Override protected void restore(String v, List<RestorePart> chain) {}
    };
    broken.connect(fx.engine, "t.counter");
    byte[] tar = fx.backup(false, List.of(), null);
    java.util.Map<String, String> statuses = new java.util.TreeMap<>();
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      for (Manifest.Owner o : a.manifest().owners()) statuses.put(o.id(), o.status() + " " + o.error());
    }
    assertTrue(statuses.get("t.counter").startsWith("failed") && statuses.get("t.counter").contains("database is locked"), statuses.toString());
    assertTrue(statuses.get("org.example.notes").startsWith("ok"), statuses.toString());
  }

  /**
   * An owner on two volumes whose restore of the second one fails: the first was applied at the
   * commit and cannot be taken back, so the outcome says "failed after apply", never "failed"
   * (which promises the owner's data is as it was).
   */
  @Test void aRestoreThatFailsOnTheSecondVolumeIsReportedAsFailedAfterApply() throws Exception {
    fx.register("t.two.xml", "<backup_registration owner=\"t.two\" uid=\"" + EngineFixture.MY_UID + "\">\n"
        + "  <active_backup callback_timeout_ms=\"5000\"><volume name=\"internal\"/><volume name=\"sdcard\"/></active_backup>\n"
        + "</backup_registration>\n");
    fx.start(Duration.ofSeconds(5));
    List<String> applied = new CopyOnWriteArrayList<>();
    BackupAgent two = new BackupAgent() {
      @Override protected Path spoolDirectory() { return tmp.resolve("spool"); }

      @Override protected void backup(String v, InputStream p, OutputStream d, OutputStream s) throws IOException {
        d.write(v.getBytes(StandardCharsets.UTF_8));
      }

      @Override protected void restore(String v, List<RestorePart> chain) throws IOException {
        if (v.equals("sdcard")) throw new IOException("card removed");
        applied.add(v);
      }
    };
    Files.createDirectories(tmp.resolve("spool"));
    two.connect(fx.engine, "t.two");
    byte[] tar = fx.backup(true, List.of("t.two"), null);
    BackupSession s = fx.engine.open(false, true, false, List.of("t.two"), List.of());
    s.writeRestoreArchive(EngineFixture.in(tar));
    s.close(true);
    assertEquals(List.of("internal"), applied);
    OwnerOutcome o = s.restoreOutcomes().get("t.two");
    assertEquals(OwnerOutcome.Kind.FAILED_AFTER_APPLY, o.kind(), o.toString());
    assertTrue(o.detail().contains("card removed") && o.detail().contains("internal"), o.toString());
  }
}
