package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.BurMode;
import io.mtpbridge.backup.demo.JournalOwner;
import io.mtpbridge.backup.demo.SettingsOwner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full, partial and incremental backups through the engine, each restored to the exact earlier state. */
class BackupRestoreScenariosTest {
  @TempDir Path tmp;
  EngineFixture fx;
  Path notes;
  SettingsOwner settings;
  JournalOwner journal;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    fx.registerActive(SettingsOwner.OWNER_ID, false, 5000);
    fx.registerActive(JournalOwner.OWNER_ID, true, 5000);
    fx.start(Duration.ofSeconds(5));
    notes = Files.createDirectories(fx.internal.resolve("notes"));
    write("a.txt", "alpha");
    write("sub/b.txt", "bravo");
    write("cache/skip.txt", "excluded");
    settings = new SettingsOwner(tmp.resolve("settings"));
    settings.connect(fx.engine);
    settings.put("ringtone", "bells");
    journal = new JournalOwner(tmp.resolve("journal"));
    journal.put("e1", "first".getBytes(StandardCharsets.UTF_8));
    journal.put("e2", "second".getBytes(StandardCharsets.UTF_8));
    journal.connect(fx.socket); // out-of-process path: over the Unix socket, uid checked
  }

  @AfterEach void tearDown() {
    journal.client().close();
    fx.close();
  }

  private void write(String rel, String content) throws Exception {
    Path p = notes.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** Notes (without the excluded cache), settings, journal contents. */
  private List<Object> state() throws Exception {
    TreeMap<String, String> n = EngineFixture.tree(notes);
    n.keySet().removeIf(k -> k.startsWith("cache/"));
    return List.of(n, settings.all(), EngineFixture.tree(journal.entriesDirectory()));
  }

  private void scramble() throws Exception {
    write("a.txt", "changed");
    Files.deleteIfExists(notes.resolve("sub/b.txt"));
    write("new.txt", "should vanish on restore");
    settings.put("ringtone", "horn");
    settings.put("volume", "11");
    journal.put("e1", "overwritten".getBytes(StandardCharsets.UTF_8));
    journal.delete("e2");
    journal.put("e9", "extra".getBytes(StandardCharsets.UTF_8));
  }

  @Test void fullBackupRestoresExactState() throws Exception {
    List<Object> before = state();
    byte[] tar = fx.backup(false, List.of(), null);
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      Manifest m = a.manifest();
      assertEquals("base", m.type());
      assertEquals(3, m.owners().size());
      for (Manifest.Owner o : m.owners()) assertEquals("ok", o.status(), o.id() + ": " + o.error());
      assertTrue(a.stream("owners/org.example.notes/internal/files/notes/a.txt") != null, m.toJson());
      assertTrue(a.stream("owners/org.example.notes/internal/files/notes/cache/skip.txt") == null, "excluded path must not be backed up");
    }
    assertEquals(BurMode.NORMAL_MODE, fx.engine.mode());
    scramble();
    assertNotEquals(before, state());
    BackupSession.RestoreReport r = fx.restore(false, List.of(), tar);
    assertTrue(r.allOk(), r.outcomes().toString());
    assertEquals(before, state());
    assertEquals("excluded", Files.readString(notes.resolve("cache/skip.txt")), "excluded files are left alone");
  }

  @Test void partialBackupAndRestoreTouchOnlyNamedOwners() throws Exception {
    List<Object> before = state();
    byte[] tar = fx.backup(true, List.of("org.example.notes", JournalOwner.OWNER_ID), null);
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      assertEquals(List.of("org.example.notes", JournalOwner.OWNER_ID), a.manifest().owners().stream().map(Manifest.Owner::id).toList());
    }
    scramble();
    Map<String, String> settingsAfterScramble = settings.all();
    BackupSession.RestoreReport r = fx.restore(true, List.of("org.example.notes"), tar);
    assertEquals(Map.of("org.example.notes", OwnerOutcome.RESTORED), r.outcomes());
    List<Object> after = state();
    assertEquals(before.get(0), after.get(0), "notes restored");
    assertEquals(settingsAfterScramble, after.get(1), "settings untouched");
    assertNotEquals(before.get(2), after.get(2), "journal not part of the partial restore");
  }

  @Test void incrementalChainRestoresEachState() throws Exception {
    byte[] base = fx.backup(false, List.of(), null);
    List<Object> s0 = state();

    write("a.txt", "alpha v2");
    Files.setLastModifiedTime(notes.resolve("a.txt"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Files.delete(notes.resolve("sub/b.txt"));
    write("c.txt", "charlie");
    journal.put("e3", "third".getBytes(StandardCharsets.UTF_8));
    journal.delete("e1");
    settings.put("ringtone", "chime");
    byte[] inc1 = fx.backup(false, List.of(), base);
    List<Object> s1 = state();

    write("d.txt", "delta");
    Files.delete(notes.resolve("c.txt"));
    journal.put("e2", "second v2".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(journal.entriesDirectory().resolve("e2"), FileTime.fromMillis(System.currentTimeMillis() + 7000));
    byte[] inc2 = fx.backup(false, List.of(), inc1);
    List<Object> s2 = state();

    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(inc2), new Staging(tmp.resolve("check"), 1 << 30));
         VerifiedArchive p = ArchiveReader.read(EngineFixture.in(inc1), new Staging(tmp.resolve("check2"), 1 << 30))) {
      assertEquals("increment", a.manifest().type());
      assertEquals(p.manifest().setId(), a.manifest().parent());
      assertTrue(a.stream("owners/org.example.notes/internal/files/notes/a.txt") == null, "unchanged file not in the increment");
      assertTrue(a.stream("owners/org.example.notes/internal/files/notes/d.txt") != null);
      assertTrue(a.stream("owners/" + JournalOwner.OWNER_ID + "/internal/active.increment") != null, a.manifest().toJson());
    }

    scramble();
    assertAllOk(fx.restore(false, List.of(), base, inc1, inc2));
    assertEquals(s2, state());

    scramble();
    assertAllOk(fx.restore(false, List.of(), base, inc1));
    assertEquals(s1, state());

    scramble();
    assertAllOk(fx.restore(false, List.of(), base));
    assertEquals(s0, state());
  }

  @Test void volumesLimitTheSession() throws Exception {
    BackupSession s = fx.engine.open(true, false, false, List.of(), List.of("sdcard"));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Manifest m = s.readArchive(out);
    s.close(true);
    for (Manifest.Owner o : m.owners()) assertTrue(o.volumes().isEmpty(), o.id() + " has no data on sdcard");
    EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
        () -> fx.engine.open(true, false, false, List.of(), List.of("moon")));
    assertEquals(EngineError.INVALID_PARAMETER, e.error());
    BackupSession i = fx.engine.open(true, false, false, List.of(), List.of("internal"));
    Manifest mi = i.readArchive(new java.io.ByteArrayOutputStream());
    i.close(true);
    for (Manifest.Owner o : mi.owners()) assertEquals("internal", o.volumes().get(0).name());
  }

  @Test void restoreRulesAreEnforced() throws Exception {
    byte[] base = fx.backup(false, List.of(), null);
    byte[] inc = fx.backup(false, List.of(), base);
    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> s.writeRestoreArchive(EngineFixture.in(inc)));
    assertEquals(EngineError.RESTORE_ORDER, e.error());
    s.writeRestoreArchive(EngineFixture.in(base));
    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> s.writeRestoreArchive(EngineFixture.in(base)));
    assertEquals(EngineError.RESTORE_ORDER, e.error());
    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> fx.engine.open(true, false, false, List.of(), List.of()));
    assertEquals(EngineError.MODE_NOT_NORMAL, e.error());
    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> s.readArchive(new java.io.ByteArrayOutputStream()));
    assertEquals(EngineError.WRONG_SESSION_KIND, e.error());
    s.close(true);

    BackupSession b = fx.engine.open(true, false, false, List.of(), List.of());
    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> b.supplySnapshots(EngineFixture.in(base)));
    assertEquals(EngineError.SNAPSHOTS_NOT_EXPECTED, e.error());
    b.readArchive(new java.io.ByteArrayOutputStream());
    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> b.readArchive(new java.io.ByteArrayOutputStream()));
    assertEquals(EngineError.ALREADY_TRANSFERRED, e.error());
    b.close(true);

    BackupSession i = fx.engine.open(true, false, true, List.of(), List.of());
    i.readArchive(new java.io.ByteArrayOutputStream());
    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> i.supplySnapshots(EngineFixture.in(base)));
    assertEquals(EngineError.SNAPSHOTS_AFTER_DATA, e.error());
    i.close(true);

    e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class, () -> fx.engine.open(true, true, false, List.of("nobody.here"), List.of()));
    assertEquals(EngineError.UNKNOWN_OWNER, e.error());
  }

  @Test void modeIsBroadcastAndLateOwnersLearnIt() throws Exception {
    BackupSession s = fx.engine.open(true, true, false, List.of(SettingsOwner.OWNER_ID), List.of());
    waitFor(() -> settings.writesPaused());
    waitFor(() -> journal.client().mode().isBackup()); // the socket owner is told of the mode
    assertFalse(journal.client().doesPartialBurAffectMe(), "journal is not in this partial backup");
    JournalOwner late = new JournalOwner(tmp.resolve("late"));
    late.connect(fx.socket);
    waitFor(() -> late.client().mode().isBackup());
    s.close(false);
    waitFor(() -> !settings.writesPaused());
    waitFor(() -> late.client().mode().isNormal());
    late.client().close();
  }

  static void assertAllOk(BackupSession.RestoreReport r) {
    assertTrue(r.allOk(), r.outcomes().toString());
  }

  static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.currentTimeMillis() + 60_000;
    while (!c.getAsBoolean()) {
      if (System.currentTimeMillis() > end) throw new AssertionError("condition not met within 60 s");
      Thread.sleep(10);
    }
  }
}
