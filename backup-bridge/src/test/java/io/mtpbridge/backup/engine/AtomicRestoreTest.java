package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.demo.SettingsOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore session is all or nothing until it is committed: archives are verified and handed
 * over, but no owner's data changes before CloseBackupSession(commit); an abort leaves every
 * owner's data as it was; an owner whose files cannot all be put in place at commit is rolled
 * back whole, and the outcome says so.
 */
class AtomicRestoreTest {
  private static final String NOTES = "org.example.notes", MEDIA = "org.example.media";
  @TempDir Path tmp;
  EngineFixture fx;
  SettingsOwner settings;
  Path notes, mediaInternal, mediaSd;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp.resolve("device"));
    fx.registerPassive(NOTES, "notes");
    // One owner with files on two volumes: it is restored whole or not at all.
    fx.register(MEDIA + ".xml", "<backup_registration owner=\"" + MEDIA + "\" uid=\"" + fx.uid + "\">\n"
        + "  <passive_backup delete_before_restore=\"true\">\n"
        + "    <volume name=\"internal\"><include_directory name=\"media\"/></volume>\n"
        + "    <volume name=\"sdcard\"><include_directory name=\"media\"/></volume>\n"
        + "  </passive_backup>\n</backup_registration>\n");
    fx.registerActive(SettingsOwner.OWNER_ID, false, 5000);
    fx.start(Duration.ofSeconds(5));
    notes = Files.createDirectories(fx.internal.resolve("notes"));
    mediaInternal = Files.createDirectories(fx.internal.resolve("media"));
    mediaSd = Files.createDirectories(fx.sdcard.resolve("media"));
    Files.writeString(notes.resolve("a.txt"), "alpha");
    Files.createDirectories(notes.resolve("sub"));
    Files.writeString(notes.resolve("sub/b.txt"), "bravo");
    Files.writeString(mediaInternal.resolve("m1.txt"), "media one");
    Files.writeString(mediaInternal.resolve("m2.txt"), "media two");
    Files.writeString(mediaSd.resolve("card.txt"), "on the card");
    settings = new SettingsOwner(tmp.resolve("settings"));
    settings.connect(fx.engine);
    settings.put("k", "backed up");
  }

  @AfterEach void tearDown() { fx.close(); }

  /** Changes every owner's data after the backup; returns the state to expect when nothing is restored. */
  private TreeMap<String, String> changeEverything() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "changed");
    Files.delete(notes.resolve("sub/b.txt"));
    Files.delete(notes.resolve("sub"));
    Files.writeString(notes.resolve("new.txt"), "added later");
    Files.writeString(mediaInternal.resolve("m1.txt"), "media one, changed");
    Files.writeString(mediaSd.resolve("card.txt"), "card, changed");
    settings.put("k", "changed");
    return state();
  }

  /** Every file and folder of both volumes with its content, and the settings owner's value. */
  private TreeMap<String, String> state() throws Exception { return state(false); }

  /**
   * The same, less the hidden temporary files a restore stages its files in ('.mtpbridge-*'):
   * they are how files wait for the commit, and they are gone after it (or after an abort).
   */
  private TreeMap<String, String> visibleState() throws Exception { return state(true); }

  private TreeMap<String, String> state(boolean withoutStaged) throws Exception {
    TreeMap<String, String> m = new TreeMap<>();
    for (Path vol : List.of(fx.internal, fx.sdcard)) {
      try (Stream<Path> w = Files.walk(vol)) {
        for (Path p : w.toList()) {
          String rel = fx.root.relativize(p).toString();
          if (withoutStaged && p.getFileName().toString().startsWith(".mtpbridge-")) continue;
          m.put(rel, Files.isDirectory(p) ? "<folder>" : Files.readString(p));
        }
      }
    }
    m.put("settings:k", settings.get("k"));
    return m;
  }

  @Test void nothingChangesBeforeCommitAndAnAbortLeavesEveryOwnerAsItWas() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    TreeMap<String, String> changed = changeEverything();
    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    BackupSession.RestoreReport r = s.writeRestoreArchive(EngineFixture.in(tar));
    assertTrue(r.allOk(), r.outcomes().toString());
    assertEquals(changed, visibleState(), "the archive was only verified and handed over: nothing may change before commit");
    s.close(false);
    assertEquals(changed, state(), "an aborted restore leaves every owner's data as it was (and no temporary file behind)");
  }

  @Test void commitAppliesEverything() throws Exception {
    TreeMap<String, String> backedUp = state();
    byte[] tar = fx.backup(false, List.of(), null);
    changeEverything();
    BackupSession.RestoreReport r = fx.restore(false, List.of(), tar);
    assertTrue(r.allOk(), r.outcomes().toString());
    assertEquals(backedUp, state());
  }

  @Test void anOwnerThatCannotBeAppliedWholeIsRolledBackAndReportedSo() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    TreeMap<String, String> changed = changeEverything();
    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    assertTrue(s.writeRestoreArchive(EngineFixture.in(tar)).allOk());
    // Between the archive and the commit, the card's file becomes a folder: the media owner's
    // internal volume is applied first, then its card fails - and the internal files go back.
    Files.delete(mediaSd.resolve("card.txt"));
    Files.createDirectories(mediaSd.resolve("card.txt/inside"));
    s.close(true);
    String media = s.restoreOutcomes().get(MEDIA).toString();
    assertTrue(media.startsWith("failed") && media.contains("rolled back"), s.restoreOutcomes().toString());
    assertEquals("restored", s.restoreOutcomes().get(NOTES).toString());
    assertEquals(changed.get("volumes/internal/media/m1.txt"), Files.readString(mediaInternal.resolve("m1.txt")),
        "the media owner's internal files were rolled back");
    assertEquals("alpha", Files.readString(notes.resolve("a.txt")), "the other owners were restored");
    assertEquals("backed up", settings.get("k"));
    try (Stream<Path> w = Files.walk(fx.internal)) {
      assertFalse(w.anyMatch(p -> p.getFileName().toString().startsWith(".mtpbridge-")), "temporary files left behind");
    }
  }
}
