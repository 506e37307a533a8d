package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.ArchiveSurgery;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.BurMode;
import io.mtpbridge.backup.demo.SettingsOwner;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.SessionState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives and files crafted to hurt the engine (each one passes verification where it can, so
 * what is tested is what the engine makes of the content): none may wedge a session, exhaust the
 * heap, pass skipped data off as restored, or make a whole backup set unrestorable.
 */
class HostileInputTest {
  private static final String NOTES = "org.example.notes", PHOTOS = "org.example.photos";
  @TempDir Path tmp;
  EngineFixture fx;
  SettingsOwner settings;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive(NOTES, "notes");
    fx.registerPassive(PHOTOS, "photos");
    fx.registerActive(SettingsOwner.OWNER_ID, false, 5000);
    fx.start(Duration.ofSeconds(5));
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.createDirectories(fx.internal.resolve("photos"));
    Files.writeString(fx.internal.resolve("notes/n.txt"), "note");
    Files.writeString(fx.internal.resolve("photos/p.jpg"), "photo");
    settings = new SettingsOwner(tmp.resolve("settings"));
    settings.connect(fx.engine);
    settings.put("k", "v1");
  }

  @AfterEach void tearDown() { fx.close(); }

  @Test void manifestWithMillionsOfNodesIsRefusedAndTheNextBackupWorks() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    // 3 million tiny values under a key the format does not know: a few MB of JSON.
    byte[] hostile = ArchiveSurgery.rewrite(tar, n -> n, Map.of(),
        json -> json.replaceFirst("\\{", "{\"padding\": [" + "0,".repeat(3_000_000) + "0],"));
    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    EngineException e = assertThrows(EngineException.class, () -> s.writeRestoreArchive(EngineFixture.in(hostile)));
    assertEquals(EngineError.ARCHIVE_INVALID, e.error());
    assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("too large"), e.getMessage());
    s.close(false);
    assertEquals(BurMode.NORMAL_MODE, fx.engine.mode());
    assertEquals(0, fx.engine.staging().used(), "spools freed");
    assertTrue(fx.backup(false, List.of(), null).length > 0, "the next backup works");
  }

  @Test void aTarHeaderClaimingAGigabyteIsRefusedWithoutFillingTheHeap() throws Exception {
    // a GNU long name of 1 GiB: the tar library would have read it whole before returning the entry
    for (boolean snapshots : new boolean[] {false, true}) {
      HugeLongName hostile = new HugeLongName(1L << 30);
      BackupSession s = fx.engine.open(snapshots, false, snapshots, List.of(), List.of());
      EngineException e = assertThrows(EngineException.class,
          () -> { if (snapshots) s.supplySnapshots(hostile); else s.writeRestoreArchive(hostile); });
      assertEquals(EngineError.ARCHIVE_INVALID, e.error());
      assertTrue(e.getMessage().contains("header longer than"), e.getMessage());
      assertTrue(hostile.served < (1 << 20), "read " + hostile.served + " bytes of a header before refusing it");
      s.close(false);
      assertEquals(BurMode.NORMAL_MODE, fx.engine.mode());
      assertEquals(0, fx.engine.staging().used(), "spools freed");
    }
    assertTrue(fx.backup(false, List.of(), null).length > 0, "the next backup works");
  }

  /** A tar whose first header is a GNU long name of {@code size} bytes, made as it is read. */
  private static final class HugeLongName extends InputStream {
    private final byte[] header = new byte[512];
    private final long size;
    long served;

    HugeLongName(long size) {
      this.size = size;
      byte[] fields = ("././@LongLink").getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(fields, 0, header, 0, fields.length);
      putAscii(100, "0000644");
      putAscii(108, "0000000");
      putAscii(116, "0000000");
      putAscii(124, String.format("%011o", size));
      putAscii(136, "00000000000");
      header[156] = 'L';
      putAscii(257, "ustar");
      putAscii(263, "00");
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : header) sum += b & 0xff;
      putAscii(148, String.format("%06o", sum));
      header[154] = 0;
    }

    private void putAscii(int offset, String s) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(b, 0, header, offset, b.length);
    }

    @Override public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) {
      if (served >= 512 + size) return -1;
      int n = (int) Math.min(len, 512 + size - served);
      for (int i = 0; i < n; i++) {
        long p = served + i;
        b[off + i] = p < 512 ? header[(int) p] : (byte) 'a';
      }
      served += n;
      return n;
    }
  }

  @Test void snapshotNumbersOutOfRangeAreAClearErrorNotAStuckSession() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    String snap = "owners/" + NOTES + "/internal/files.snapshot";
    byte[] bad = ArchiveSurgery.rewrite(tar, n -> n,
        Map.of(snap, "mtpbridge-files-snapshot 1\n9999999999999999999 0 notes%2Fn.txt\n".getBytes(StandardCharsets.UTF_8)), null);
    BackupSession s = fx.engine.open(false, false, false, List.of(), List.of());
    BackupSession.RestoreReport r = s.writeRestoreArchive(EngineFixture.in(bad));
    assertTrue(r.outcomes().get(NOTES).toString().startsWith("failed") && r.outcomes().get(NOTES).toString().contains("out of range"), r.outcomes().toString());
    assertEquals("staged", r.outcomes().get(PHOTOS).toString());
    assertEquals(SessionState.TRANSFERRED, s.state());
    s.close(true);
    assertEquals("restored", s.restoreOutcomes().get(PHOTOS).toString());
    assertTrue(s.restoreOutcomes().get(NOTES).toString().contains("out of range"), s.restoreOutcomes().toString());
    assertEquals(BurMode.NORMAL_MODE, fx.engine.mode());
  }

  @Test void streamsForAVolumeTheDeviceLacksAreReportedNotOk() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    String from = "owners/" + SettingsOwner.OWNER_ID + "/internal/", to = "owners/" + SettingsOwner.OWNER_ID + "/moon/";
    byte[] moved = ArchiveSurgery.rewrite(tar, n -> n.startsWith(from) ? to + n.substring(from.length()) : n, Map.of(), null);
    BackupSession.RestoreReport r = fx.restore(false, List.of(), moved);
    String o = r.outcomes().get(SettingsOwner.OWNER_ID).toString();
    assertTrue(!o.equals("restored") && o.contains("moon"), r.outcomes().toString());
    assertEquals("restored", r.outcomes().get(NOTES).toString());
  }

  @Test void aFileThatShrinksDuringBackupFailsOnlyItsOwnerAndTheSetStaysRestorable() throws Exception {
    Path big = fx.internal.resolve("notes/a.bin");
    Path later = fx.internal.resolve("notes/b.txt");
    Files.write(big, new byte[1 << 20]);
    Files.write(later, new byte[100_000]);
    BackupSession s = fx.engine.open(true, false, false, List.of(), List.of());
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    // Once a.bin is on its way, b.txt (already listed with its size) is cut short on the device.
    OutputStream out = new OutputStream() {
      boolean cut;
      @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
      @Override public void write(byte[] b, int off, int len) throws IOException {
        sink.write(b, off, len);
        if (!cut && sink.size() > 512 * 1024) {
          cut = true;
          try (FileChannel ch = FileChannel.open(later, StandardOpenOption.WRITE)) {
            ch.truncate(10);
          }
        }
      }
    };
    s.readArchive(out);
    s.close(true);
    Map<String, Manifest.Owner> owners = new HashMap<>();
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(sink.toByteArray()), new Staging(tmp.resolve("check"), 1 << 30))) {
      for (Manifest.Owner o : a.manifest().owners()) owners.put(o.id(), o);
    }
    assertEquals("failed", owners.get(NOTES).status());
    assertTrue(owners.get(NOTES).error().contains("shrank"), owners.get(NOTES).error());
    assertEquals("ok", owners.get(PHOTOS).status());

    Files.writeString(fx.internal.resolve("photos/p.jpg"), "changed");
    BackupSession.RestoreReport r = fx.restore(false, List.of(), sink.toByteArray());
    assertEquals("restored", r.outcomes().get(PHOTOS).toString(), r.outcomes().toString());
    assertTrue(r.outcomes().get(NOTES).toString().startsWith("skipped"), r.outcomes().toString());
    assertEquals("photo", Files.readString(fx.internal.resolve("photos/p.jpg")));
  }

  @Test void supplySnapshotsWantsTheManifestAndMatchingHashes() throws Exception {
    byte[] base = fx.backup(false, List.of(), null);
    BackupSession s = fx.engine.open(true, false, true, List.of(), List.of());
    EngineException none = assertThrows(EngineException.class, () -> s.supplySnapshots(EngineFixture.in(ArchiveSurgery.withoutManifest(base))));
    assertEquals(EngineError.ARCHIVE_INVALID, none.error());
    assertTrue(none.getMessage().contains("manifest.json"), none.getMessage());
    s.close(false);

    String snap = "owners/" + NOTES + "/internal/files.snapshot";
    byte[] tampered = ArchiveSurgery.tamper(base, snap, "mtpbridge-files-snapshot 1\n".getBytes(StandardCharsets.UTF_8));
    BackupSession t = fx.engine.open(true, false, true, List.of(), List.of());
    EngineException changed = assertThrows(EngineException.class, () -> t.supplySnapshots(EngineFixture.in(tampered)));
    assertEquals(EngineError.ARCHIVE_INVALID, changed.error());
    assertTrue(changed.getMessage().contains("SHA-256") || changed.getMessage().contains("size"), changed.getMessage());
    t.close(false);
    assertEquals(0, fx.engine.staging().used(), "spools freed");
  }

  @Test void namesUpToNameMaxSurviveAndRestoredFilesBelongToTheOwnerWithTheirModes() throws Exception {
    fx.close();
    fx = new EngineFixture(tmp.resolve("other"));
    int ownerUid = EngineFixture.MY_UID == 0 ? 4242 : EngineFixture.MY_UID;
    fx.register("notes.xml", "<backup_registration owner=\"" + NOTES + "\" uid=\"" + ownerUid + "\">\n"
        + "  <passive_backup><volume name=\"internal\"><include_directory name=\"notes\"/></volume></passive_backup>\n"
        + "</backup_registration>\n");
    fx.start(Duration.ofSeconds(5));
    Path notes = Files.createDirectories(fx.internal.resolve("notes"));
    String longName = "n".repeat(251) + ".txt"; // 255 bytes: the longest name the device allows
    Files.writeString(notes.resolve(longName), "long");
    Path shared = notes.resolve("shared.txt");
    Files.writeString(shared, "group may read");
    Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    byte[] tar = fx.backup(false, List.of(), null);
    Files.delete(notes.resolve(longName));
    Files.delete(shared);
    BackupSession.RestoreReport r = fx.restore(false, List.of(), tar);
    assertEquals("restored", r.outcomes().get(NOTES).toString(), r.outcomes().toString());
    assertEquals("long", Files.readString(notes.resolve(longName)));
    assertEquals("group may read", Files.readString(shared));
    assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    assertEquals(ownerUid, (Integer) Files.getAttribute(shared, "unix:uid"), "restored files belong to the registration's uid");
    try (var left = Files.list(notes)) {
      assertEquals(2, left.count(), "no temporary files left");
    }
  }
}
