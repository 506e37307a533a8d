package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.ArchiveSurgery;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.format.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A passive owner is an ordinary user who controls its own folders, while the engine runs as
 * root: links it plants there, pointing outside the volume or into another owner's area, planted
 * before or swapped in during a backup or restore, must never make the engine read, write, create
 * or delete anything through them.
 */
class PlantedLinksTest {
  private static final String NOTES = "org.example.notes", PHOTOS = "org.example.photos";
  @TempDir Path tmp;
  EngineFixture fx;
  Path notes, photos, outside;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp.resolve("device"));
    fx.registerPassive(NOTES, "notes");
    fx.registerPassive(PHOTOS, "photos");
    fx.start(Duration.ofSeconds(5));
    notes = Files.createDirectories(fx.internal.resolve("notes"));
    photos = Files.createDirectories(fx.internal.resolve("photos"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(notes.resolve("n.txt"), "note");
    Files.createDirectories(notes.resolve("sub"));
    Files.writeString(notes.resolve("sub/s.txt"), "sub note");
    Files.writeString(photos.resolve("p.jpg"), "photo");
    Files.writeString(outside.resolve("secret.txt"), "secret outside the volume");
  }

  @AfterEach void tearDown() { fx.close(); }

  private List<String> entries(byte[] tar) throws Exception {
    List<String> names = new ArrayList<>();
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      for (Manifest.Owner o : a.manifest().owners()) {
        for (Manifest.Volume v : o.volumes()) for (Manifest.Stream s : v.streams()) names.add(s.name());
      }
    }
    return names;
  }

  @Test void backupReadsNothingThroughLinks() throws Exception {
    Files.createSymbolicLink(notes.resolve("to-outside"), outside);
    Files.createSymbolicLink(notes.resolve("to-photos"), photos);
    Files.createSymbolicLink(notes.resolve("secret.txt"), outside.resolve("secret.txt"));
    List<String> names = entries(fx.backup(false, List.of(), null));
    assertTrue(names.contains("owners/" + NOTES + "/internal/files/notes/n.txt"), names.toString());
    for (String n : names) {
      assertFalse(n.contains("to-outside") || n.contains("to-photos") || n.contains("secret"), n);
    }
  }

  @Test void restoreWritesNothingIntoAnotherOwnersAreaThroughALink() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    // The owner replaces its sub-folder with a link into the photos owner's folder.
    Files.delete(notes.resolve("sub/s.txt"));
    Files.delete(notes.resolve("sub"));
    Files.createSymbolicLink(notes.resolve("sub"), photos);
    BackupSession.RestoreReport r = fx.restore(true, List.of(NOTES), tar);
    assertTrue(r.outcomes().get(NOTES).toString().startsWith("failed"), r.outcomes().toString());
    assertFalse(Files.exists(photos.resolve("s.txt")), "written into the photos owner's folder through the link");
    try (var list = Files.list(photos)) {
      assertEquals(List.of("p.jpg"), list.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test void restoreCreatesNoFolderThroughALink() throws Exception {
    Files.createDirectories(notes.resolve("deep/er"));
    Files.writeString(notes.resolve("deep/er/d.txt"), "deep note");
    byte[] tar = fx.backup(false, List.of(), null);
    // deep becomes a link to a folder outside the volume: restoring deep/er/d.txt must not create outside/er.
    Files.delete(notes.resolve("deep/er/d.txt"));
    Files.delete(notes.resolve("deep/er"));
    Files.delete(notes.resolve("deep"));
    Files.createSymbolicLink(notes.resolve("deep"), outside);
    fx.restore(true, List.of(NOTES), tar);
    assertFalse(Files.exists(outside.resolve("er")), "a folder was created through the link");
    try (var list = Files.list(outside)) {
      assertEquals(List.of("secret.txt"), list.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test void restoreReplacesAPlantedFileLinkInsteadOfWritingThroughIt() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    Files.delete(notes.resolve("n.txt"));
    Files.createSymbolicLink(notes.resolve("n.txt"), outside.resolve("secret.txt"));
    BackupSession.RestoreReport r = fx.restore(true, List.of(NOTES), tar);
    assertEquals("restored", r.outcomes().get(NOTES).toString(), r.outcomes().toString());
    assertEquals("secret outside the volume", Files.readString(outside.resolve("secret.txt")));
    assertFalse(Files.isSymbolicLink(notes.resolve("n.txt")));
    assertEquals("note", Files.readString(notes.resolve("n.txt")));
  }

  @Test void deletionsDoNotFollowLinks() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    // Not in the backup: removed by the restore (delete_before_restore) - but never through a link.
    Files.createSymbolicLink(notes.resolve("to-photos"), photos);
    Files.writeString(notes.resolve("later.txt"), "written after the backup");
    fx.restore(true, List.of(NOTES), tar);
    assertFalse(Files.exists(notes.resolve("later.txt")));
    assertEquals("photo", Files.readString(photos.resolve("p.jpg")));
    assertEquals("secret outside the volume", Files.readString(outside.resolve("secret.txt")));
  }

  /**
   * The race a check-then-open walk loses: the owner flips its sub-folder between a real folder and
   * a link to outside while backups and restores run. Whatever the timing, nothing outside is read
   * into an archive and nothing is written, created or removed outside.
   */
  @Test void swappingAFolderForALinkDuringBackupsAndRestoresLeadsNowhere() throws Exception {
    Path sub = notes.resolve("sub");
    Path aside = fx.internal.resolve(".sub-aside");
    Files.writeString(outside.resolve("s.txt"), "outside, not the owner's");
    byte[] first = fx.backup(true, List.of(NOTES), null);
    AtomicBoolean stop = new AtomicBoolean();
    Thread flipper = new Thread(() -> {
      while (!stop.get()) {
        try {
          Files.move(sub, aside);
          Files.createSymbolicLink(sub, outside);
          Thread.onSpinWait();
          Files.delete(sub);
          Files.move(aside, sub);
        } catch (Exception e) {
          // a restore re-created the folder meanwhile: put things straight and go on
          try {
            if (Files.isSymbolicLink(sub)) Files.delete(sub);
            if (Files.exists(aside) && !Files.exists(sub)) Files.move(aside, sub);
            if (Files.exists(aside)) deleteTree(aside);
          } catch (Exception ignored) {
            // next round
          }
        }
      }
    });
    flipper.start();
    try {
      for (int i = 0; i < 30; i++) {
        byte[] tar = fx.backup(true, List.of(NOTES), null);
        try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
          var s = a.stream("owners/" + NOTES + "/internal/files/notes/sub/s.txt");
          if (s != null) {
            try (var in = s.openInput()) {
              assertEquals("sub note", new String(in.readAllBytes(), StandardCharsets.UTF_8), "read through the link");
            }
          }
          assertEquals(null, a.stream("owners/" + NOTES + "/internal/files/notes/sub/secret.txt"), "a file outside the volume was backed up");
        }
        fx.restore(true, List.of(NOTES), first);
        assertEquals("outside, not the owner's", Files.readString(outside.resolve("s.txt")), "written through the link");
        assertEquals("secret outside the volume", Files.readString(outside.resolve("secret.txt")));
        try (var list = Files.list(outside)) {
          assertEquals(2, list.count(), "something was created or removed outside the volume");
        }
      }
    } finally {
      stop.set(true);
      flipper.join();
    }
  }

  private static void deleteTree(Path p) throws Exception {
    try (var w = Files.walk(p)) {
      for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
