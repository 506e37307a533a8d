package io.mtpbridge.backup.mtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.demo.SettingsOwner;
import io.mtpbridge.backup.engine.EngineFixture;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;
import io.mtpbridge.core.storage.Upload;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "Backup" storage through its SPI: folders run backups, /Restore restores, space is accounted. */
class BackupStorageTest {
  @TempDir Path tmp;
  EngineFixture fx;
  BackupStorage storage;
  SettingsOwner settings;
  final List<String> events = new CopyOnWriteArrayList<>();

  void start(long stagingLimit, Duration grace) throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    fx.registerActive(SettingsOwner.OWNER_ID, false, 5000);
    fx.start(Duration.ofSeconds(5), stagingLimit);
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.writeString(fx.internal.resolve("notes/a.txt"), "alpha");
    settings = new SettingsOwner(tmp.resolve("settings"));
    settings.connect(fx.engine);
    settings.put("k", "v1");
    storage = new BackupStorage(fx.engine, grace);
    storage.setListener(new StorageListener() {
      @Override public void objectAdded(ObjectPath path) { events.add("added " + path); }
      @Override public void objectRemoved(ObjectPath path) { events.add("removed " + path); }
      @Override public void objectChanged(ObjectPath path) { events.add("changed " + path); }
      @Override public void storageInfoChanged() {}
    });
  }

  @AfterEach void tearDown() throws Exception {
    if (storage != null) storage.close();
    if (fx != null) fx.close();
  }

  private String read(ObjectPath p) throws Exception {
    try (ReadableByteChannel ch = storage.openRead(p, 0); InputStream in = Channels.newInputStream(ch)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private byte[] readBytes(ObjectPath p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReadableByteChannel ch = storage.openRead(p, 0); InputStream in = Channels.newInputStream(ch)) {
      in.transferTo(out);
    }
    return out.toByteArray();
  }

  private void waitForFile(ObjectPath p, String contains) throws Exception {
    long end = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        if (read(p).contains(contains)) return;
      } catch (StorageException notYet) {
        // not there yet
      }
      if (System.currentTimeMillis() > end) throw new AssertionError(p + " never contained '" + contains + "'");
      Thread.sleep(20);
    }
  }

  private void send(ObjectPath folder, String name, byte[] data) throws Exception {
    try (Upload u = storage.beginUpload(folder, new NewObject(name, false, data.length, 0x3000, null, null))) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) u.write(b);
      u.commit();
    }
  }

  private List<String> names(ObjectPath folder) throws Exception {
    return storage.list(folder).map(ObjectMetadata::name).collect(Collectors.toList());
  }

  @Test void folderRunsFullBackupAndRestoreFolderRestoresIt() throws Exception {
    start(1L << 30, Duration.ofMillis(100));
    assertEquals(List.of("Owners", "Backups", "Restore"), names(ObjectPath.ROOT));
    assertTrue(read(ObjectPath.of("Owners", SettingsOwner.OWNER_ID + ".txt")).contains("kind: active"));
    assertThrows(StorageException.class, () -> storage.delete(ObjectPath.of("Owners", SettingsOwner.OWNER_ID + ".txt")));

    storage.createFolder(ObjectPath.of("Backups"), new NewObject("b1", true, 0, 0x3001, null, null));
    waitForFile(ObjectPath.of("Backups", "b1", "status.txt"), "state: done");
    assertEquals(List.of("status.txt", "manifest.json", "backup.tar"), names(ObjectPath.of("Backups", "b1")));
    assertTrue(events.contains("added /Backups/b1/backup.tar"), events.toString());
    assertTrue(events.contains("changed /Backups/b1/status.txt"), events.toString());
    byte[] tar = readBytes(ObjectPath.of("Backups", "b1", "backup.tar"));
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      assertEquals(a.manifest().toJson(), read(ObjectPath.of("Backups", "b1", "manifest.json")));
      assertEquals(2, a.manifest().owners().size());
    }

    Files.writeString(fx.internal.resolve("notes/a.txt"), "changed");
    settings.put("k", "v2");
    send(ObjectPath.of("Restore"), "backup.tar", tar);
    waitForFile(ObjectPath.of("Restore", "backup.tar.result.txt"), "success");
    assertEquals("alpha", Files.readString(fx.internal.resolve("notes/a.txt")));
    assertEquals("v1", settings.get("k"));
    assertEquals(List.of("backup.tar.result.txt"), names(ObjectPath.of("Restore")), "the archive is freed after restore");

    byte[] corrupt = tar.clone();
    corrupt[BackupOperationsTest.indexOf(corrupt, "alpha".getBytes(StandardCharsets.UTF_8))] ^= 1;
    Files.writeString(fx.internal.resolve("notes/a.txt"), "changed again");
    send(ObjectPath.of("Restore"), "bad.tar", corrupt);
    waitForFile(ObjectPath.of("Restore", "bad.tar.result.txt"), "failed: nothing was restored");
    assertTrue(read(ObjectPath.of("Restore", "bad.tar.result.txt")).contains("stream"), "names the failing stream");
    assertEquals("changed again", Files.readString(fx.internal.resolve("notes/a.txt")));
  }

  @Test void ownersTxtMakesItPartial() throws Exception {
    start(1L << 30, Duration.ofSeconds(10));
    storage.createFolder(ObjectPath.of("Backups"), new NewObject("p", true, 0, 0x3001, null, null));
    send(ObjectPath.of("Backups", "p"), "owners.txt", "org.example.notes\n".getBytes(StandardCharsets.UTF_8));
    waitForFile(ObjectPath.of("Backups", "p", "status.txt"), "state: done");
    byte[] tar = readBytes(ObjectPath.of("Backups", "p", "backup.tar"));
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      assertEquals(List.of("org.example.notes"), a.manifest().owners().stream().map(Manifest.Owner::id).toList());
      assertEquals("backup-partial", a.manifest().mode());
    }
  }

  @Test void stagingLimitGivesStoreFullAndDeletingFreesSpace() throws Exception {
    start(200_000, Duration.ofMillis(50));
    StorageException full = assertThrows(StorageException.class,
        () -> storage.beginUpload(ObjectPath.of("Restore"), new NewObject("huge.tar", false, 10_000_000, 0x3000, null, null)));
    assertEquals(StorageError.STORE_FULL, full.error());

    storage.createFolder(ObjectPath.of("Backups"), new NewObject("b", true, 0, 0x3001, null, null));
    waitForFile(ObjectPath.of("Backups", "b", "status.txt"), "state: done");
    long used = fx.engine.staging().used();
    assertTrue(used > 0);
    for (String f : List.of("backup.tar", "manifest.json", "status.txt")) storage.delete(ObjectPath.of("Backups", "b", f));
    storage.delete(ObjectPath.of("Backups", "b"));
    assertEquals(0, fx.engine.staging().used(), "deleting the backup folder frees its space");
    assertEquals(List.of(), names(ObjectPath.of("Backups")));

    Files.write(fx.internal.resolve("notes/big.bin"), new byte[300_000]);
    storage.createFolder(ObjectPath.of("Backups"), new NewObject("toolarge", true, 0, 0x3001, null, null));
    waitForFile(ObjectPath.of("Backups", "toolarge", "status.txt"), "state: failed");
    assertTrue(read(ObjectPath.of("Backups", "toolarge", "status.txt")).contains("staging space exhausted"));
    assertEquals(List.of("status.txt"), names(ObjectPath.of("Backups", "toolarge")), "no half archive left");
    assertEquals(0, fx.engine.staging().used());
  }

  @Test void hostileArchiveInRestoreEndsItsJobAndTheNextBackupWorks() throws Exception {
    start(1L << 30, Duration.ofMillis(50));
    storage.createFolder(ObjectPath.of("Backups"), new NewObject("b1", true, 0, 0x3001, null, null));
    waitForFile(ObjectPath.of("Backups", "b1", "status.txt"), "state: done");
    byte[] tar = readBytes(ObjectPath.of("Backups", "b1", "backup.tar"));
    byte[] hostile = io.mtpbridge.backup.archive.ArchiveSurgery.rewrite(tar, n -> n, java.util.Map.of(),
        json -> json.replaceFirst("\\{", "{\"padding\": [" + "0,".repeat(3_000_000) + "0],"));
    send(ObjectPath.of("Restore"), "hostile.tar", hostile);
    waitForFile(ObjectPath.of("Restore", "hostile.tar.result.txt"), "failed: nothing was restored");
    assertTrue(read(ObjectPath.of("Restore", "hostile.tar.result.txt")).contains("too large"), read(ObjectPath.of("Restore", "hostile.tar.result.txt")));
    assertEquals(io.mtpbridge.backup.client.BurMode.NORMAL_MODE, fx.engine.mode());
    storage.createFolder(ObjectPath.of("Backups"), new NewObject("b2", true, 0, 0x3001, null, null));
    waitForFile(ObjectPath.of("Backups", "b2", "status.txt"), "state: done");
  }

  /**
   * A folder made by mistake (or Windows' "New folder", never named) can be deleted while its
   * backup waits to start: the backup is called off instead of the host being told "busy".
   */
  @Test void aFolderDeletedBeforeItsBackupStartsCallsItOff() throws Exception {
    start(1L << 30, Duration.ofSeconds(30));
    storage.createFolder(ObjectPath.of("Backups"), new NewObject("New folder", true, 0, 0x3001, null, null));
    assertTrue(read(ObjectPath.of("Backups", "New folder", "status.txt")).contains("state: waiting"));
    // What a host does for a folder: its files first, then the folder.
    storage.delete(ObjectPath.of("Backups", "New folder", "status.txt"));
    storage.delete(ObjectPath.of("Backups", "New folder"));
    assertEquals(List.of(), names(ObjectPath.of("Backups")));
    assertEquals(null, fx.engine.currentSession());
    assertEquals(io.mtpbridge.backup.client.BurMode.NORMAL_MODE, fx.engine.mode());
  }

  /**
   * The longest archive name whose result file still has a name (the name plus ".result.txt" in
   * 254 characters and 255 bytes) restores and gets its result; one character longer is refused
   * at once, before any data, instead of restoring without a result the host could ever read.
   */
  @Test void restoreTakesTheLongestNameItCanAnswerAndRefusesLonger() throws Exception {
    start(1L << 30, Duration.ofMillis(100));
    storage.createFolder(ObjectPath.of("Backups"), new NewObject("b1", true, 0, 0x3001, null, null));
    waitForFile(ObjectPath.of("Backups", "b1", "status.txt"), "state: done");
    byte[] tar = readBytes(ObjectPath.of("Backups", "b1", "backup.tar"));

    String longest = "r".repeat(239) + ".tar"; // 243 characters: 254 with ".result.txt"
    send(ObjectPath.of("Restore"), longest, tar);
    waitForFile(ObjectPath.of("Restore", longest + ".result.txt"), "success");

    StorageException e = assertThrows(StorageException.class,
        () -> storage.beginUpload(ObjectPath.of("Restore"), new NewObject("r" + longest, false, tar.length, 0x3000, null, null)));
    assertEquals(StorageError.INVALID_NAME, e.error());
    assertTrue(e.getMessage().contains("243"), e.getMessage());
  }

  @Test void restoreRefusesNamesTheBridgeUsesItself() throws Exception {
    start(1L << 30, Duration.ofMillis(50));
    StorageException e = assertThrows(StorageException.class,
        () -> storage.beginUpload(ObjectPath.of("Restore"), new NewObject(".backup.tar.part", false, 10, 0x3000, null, null)));
    assertEquals(StorageError.ACCESS_DENIED, e.error());
  }
}
