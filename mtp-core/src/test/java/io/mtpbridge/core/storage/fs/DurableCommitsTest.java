package io.mtpbridge.core.storage.fs;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Received files are named only once their data is durable, and their data is made durable in
 * batches (one {@link DataSync} call for many files), at the latest when the window ends, the
 * batch is full, the session ends, or something could observe a waiting file (CommitPolicy).
 */
class DurableCommitsTest {
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;
  @TempDir Path dir2;

  /** Records each data sync: the files handed over, and whether any of them already had its final name. */
  static final class RecordingSync implements DataSync {
    final List<List<Path>> calls = new CopyOnWriteArrayList<>();
    final List<String> namedTooEarly = new CopyOnWriteArrayList<>();
    final CountDownLatch first = new CountDownLatch(1);
    volatile IOException failure;
    volatile Runnable during = () -> {};

    @Override
    public void sync(List<Path> files) throws IOException {
      calls.add(List.copyOf(files));
      for (Path f : files) {
        assertTrue(f.getFileName().toString().startsWith(FileSystemStorage.TEMP_PREFIX), f + " is still under its temporary name");
      }
      during.run();
      first.countDown();
      if (failure != null) throw failure;
      // (no real fsync: what is tested is when and for what the storage asks)
    }

    int files() { return calls.stream().mapToInt(List::size).sum(); }
  }

  private FileSystemStorage storage(Path root, Duration window, int maxFiles, DataSync sync) throws IOException {
    return new FileSystemStorage("S", root, false, StorageType.FIXED_RAM, Ownership.DEFAULT,
        new CommitPolicy(window, maxFiles, Long.MAX_VALUE, sync));
  }

  private static ObjectMetadata upload(FileSystemStorage s, ObjectPath parent, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    try (Upload up = s.beginUpload(parent, new NewObject(name, false, b.length, 0x3000, null, null))) {
      up.write(ByteBuffer.wrap(b));
      return up.commit();
    }
  }

  private static List<String> onDisk(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> named(Path d) throws IOException {
    return onDisk(d).stream().filter(n -> !n.startsWith(FileSystemStorage.TEMP_PREFIX)).toList();
  }

  @Test
  void aReceivedFileTakesItsNameOnlyOnceItsDataIsDurable() throws Exception {
    RecordingSync sync = new RecordingSync();
    FileSystemStorage s = storage(dir, NEVER, 1000, sync);
    ObjectMetadata m = upload(s, ObjectPath.ROOT, "a.txt", "alpha");
    upload(s, ObjectPath.ROOT, "b.txt", "bravo!");
    assertEquals("a.txt", m.name());
    assertEquals(5, m.size());
    assertEquals(List.of(), named(dir), "no final name before the data sync");
    assertEquals(2, onDisk(dir).size(), "the data waits under temporary names");
    assertEquals(List.of(), sync.calls);
    // as far as the host is concerned it is stored: it has metadata, and its name is taken
    ObjectMetadata b = s.stat(ObjectPath.of("b.txt"));
    assertEquals("b.txt", b.name());
    assertEquals(6, b.size());
    assertEquals(StorageError.ALREADY_EXISTS, assertThrows(StorageException.class,
        () -> s.beginUpload(ObjectPath.ROOT, new NewObject("a.txt", false, 1, 0x3000, null, null))).error());
    assertEquals(StorageError.ALREADY_EXISTS, assertThrows(StorageException.class,
        () -> s.createFolder(ObjectPath.ROOT, new NewObject("b.txt", true, 0, 0x3001, null, null))).error());

    s.sync();
    assertEquals(1, sync.calls.size(), "one data sync for the batch");
    assertEquals(2, sync.calls.get(0).size());
    assertEquals(List.of("a.txt", "b.txt"), onDisk(dir), "named, and no temporary file left");
    assertEquals("alpha", Files.readString(dir.resolve("a.txt")));
    assertEquals(m.persistentKey(), s.stat(ObjectPath.of("a.txt")).persistentKey(), "the same file took the name");
  }

  @Test
  void aThousandFilesAreSyncedInOneCallNotOnePerFile() throws Exception {
    RecordingSync sync = new RecordingSync();
    FileSystemStorage s = storage(dir, NEVER, 1000, sync);
    for (int i = 0; i < 1000; i++) upload(s, ObjectPath.ROOT, "f" + i, "x");
    assertEquals(1, sync.calls.size(), "the thousandth file fills the batch, which is synced in its commit");
    assertEquals(1000, sync.files());
    assertEquals(1000, named(dir).size());
    assertEquals(1000, onDisk(dir).size(), "no temporary file left");
  }

  @Test
  void aFullBatchIsSyncedInTheCommitThatFillsIt() throws Exception {
    RecordingSync sync = new RecordingSync();
    FileSystemStorage s = storage(dir, NEVER, 10, sync);
    for (int i = 0; i < 25; i++) upload(s, ObjectPath.ROOT, String.format("f%02d", i), "x");
    assertEquals(List.of(10, 10), sync.calls.stream().map(List::size).toList());
    assertEquals(20, named(dir).size(), "the first 20 are named as their commits return");
    s.sync();
    assertEquals(25, named(dir).size());
  }

  @Test
  void theWindowEndsWithoutAnyFurtherRequest() throws Exception {
    RecordingSync sync = new RecordingSync();
    FileSystemStorage s = storage(dir, Duration.ofMillis(20), 1000, sync);
    upload(s, ObjectPath.ROOT, "late.txt", "z");
    assertTrue(sync.first.await(60, TimeUnit.SECONDS), "the window's end synced the batch on its own");
    s.sync(); // returns once the window's batch is named; syncs nothing more itself
    assertEquals(1, sync.calls.size());
    assertEquals(List.of("late.txt"), onDisk(dir));
  }

  @Test
  void everyOtherOperationOnAWaitingFileFindsItNamed() throws Exception {
    RecordingSync sync = new RecordingSync();
    FileSystemStorage s = storage(dir, NEVER, 1000, sync);
    s.createFolder(ObjectPath.ROOT, new NewObject("d", true, 0, 0x3001, null, null));
    ObjectPath d = ObjectPath.of("d");
    upload(s, d, "listed.txt", "1");
    try (Stream<ObjectMetadata> l = s.list(d)) {
      assertEquals(List.of("listed.txt"), l.map(ObjectMetadata::name).toList());
    }
    upload(s, d, "read.txt", "read me");
    try (InputStream in = Channels.newInputStream(s.openRead(d.child("read.txt"), 0))) {
      assertEquals("read me", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    upload(s, d, "renamed.txt", "2");
    s.rename(d.child("renamed.txt"), "new-name.txt");
    upload(s, d, "moved.txt", "3");
    s.move(d.child("moved.txt"), ObjectPath.ROOT);
    upload(s, d, "deleted.txt", "4");
    s.delete(d.child("deleted.txt"));
    upload(s, ObjectPath.ROOT, "kept.txt", "5");
    s.delete(d.child("listed.txt"));
    assertEquals(6, sync.calls.size(), sync.calls.toString());
    assertEquals(List.of("new-name.txt", "read.txt"), onDisk(dir.resolve("d")));
    assertEquals(List.of("d", "kept.txt", "moved.txt"), onDisk(dir));
    assertEquals("3", Files.readString(dir.resolve("moved.txt")));
  }

  @Test
  void aFailedDataSyncNamesNothingAndLeavesNothing() throws Exception {
    RecordingSync sync = new RecordingSync();
    sync.failure = new IOException("EIO");
    FileSystemStorage s = storage(dir, NEVER, 1000, sync);
    List<ObjectPath> changed = new ArrayList<>();
    s.setListener(new StorageListener() {
      @Override public void objectAdded(ObjectPath path) {}
      @Override public void objectRemoved(ObjectPath path) {}
      @Override public void objectChanged(ObjectPath path) {}
      @Override public void folderChanged(ObjectPath folder) { changed.add(folder); }
      @Override public void storageInfoChanged() {}
    });
    upload(s, ObjectPath.ROOT, "a.txt", "a");
    s.sync();
    assertEquals(List.of(), onDisk(dir), "no file whose data may be missing takes a name");
    assertEquals(List.of(ObjectPath.ROOT), changed, "the host hears that the folder changed");
    s.close();

    FileSystemStorage each = storage(dir2, Duration.ZERO, 1, sync);
    StorageException e = assertThrows(StorageException.class, () -> upload(each, ObjectPath.ROOT, "b.txt", "b"));
    assertEquals(StorageError.IO_FAILURE, e.error(), "synced in its commit: the host gets the error");
    assertEquals(List.of(), onDisk(dir2));
  }

  @Test
  void aFolderDeletedOnTheDeviceMeanwhileLosesOnlyItsOwnWaitingFile() throws Exception {
    FileSystemStorage s = storage(dir, NEVER, 1000, DataSync.EACH_FILE);
    s.createFolder(ObjectPath.ROOT, new NewObject("d", true, 0, 0x3001, null, null));
    upload(s, ObjectPath.ROOT, "kept.txt", "kept");
    upload(s, ObjectPath.of("d"), "gone.txt", "gone");
    try (Stream<Path> files = Files.walk(dir.resolve("d"))) { // a device-side rm -r
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    s.sync();
    assertEquals(List.of("kept.txt"), onDisk(dir), "the other file of the batch is stored");
    assertEquals("kept", Files.readString(dir.resolve("kept.txt")));
  }

  @Test
  void aFileCreatedOnTheDeviceMeanwhileKeepsItsNameAndTheReceivedOneTakesAnother() throws Exception {
    RecordingSync sync = new RecordingSync();
    FileSystemStorage s = storage(dir, NEVER, 1000, sync);
    upload(s, ObjectPath.ROOT, "song.mp3", "received");
    Files.writeString(dir.resolve("song.mp3"), "the device's");
    s.sync();
    assertEquals("the device's", Files.readString(dir.resolve("song.mp3")));
    assertEquals("received", Files.readString(dir.resolve("song (2).mp3")));
    assertEquals(List.of("song (2).mp3", "song.mp3"), onDisk(dir));
    assertEquals("noext (3)", WaitingUploads.variant("noext", 3));
    assertEquals(".hidden (2)", WaitingUploads.variant(".hidden", 2));
  }

  /** The same race for a name at the limits: the received file's other name is cut to fit, never lost. */
  @Test
  void aNameAtTheLimitTakesAShortenedOtherName() throws Exception {
    FileSystemStorage s = storage(dir, NEVER, 1000, new RecordingSync());
    String name = "n".repeat(250) + ".mp3"; // 254 characters and bytes
    upload(s, ObjectPath.ROOT, name, "received");
    Files.writeString(dir.resolve(name), "the device's");
    s.sync();
    assertEquals("the device's", Files.readString(dir.resolve(name)));
    String other = "n".repeat(246) + " (2).mp3";
    assertEquals("received", Files.readString(dir.resolve(other)));
    assertEquals(other, WaitingUploads.variant(name, 2));
    assertEquals("\u00e9".repeat(123) + " (2).txt", WaitingUploads.variant("\u00e9".repeat(125) + ".txt", 2), "255 bytes at most");
    assertEquals("x." + "y".repeat(247) + " (12)", WaitingUploads.variant("x." + "y".repeat(252), 12), "an extension too long to keep");
  }

  // ---- through the responder ----

  private MtpResponder responder(FileSystemStorage... storages) throws IOException {
    var b = MtpResponder.builder().install(StandardOperations.SET).identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"));
    for (FileSystemStorage s : storages) b.addStorage(s);
    return b.build();
  }

  private static void send(TestHost h, String name, byte[] content) throws IOException {
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo(name, content.length), Fixtures.STORAGE_1, 0xFFFFFFFF));
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, content));
  }

  @Test
  void closeSessionIsAnsweredOnlyOnceWhatTheHostStoredIsDurable() throws Exception {
    RecordingSync sync = new RecordingSync();
    try (TestHost h = new TestHost(responder(storage(dir, NEVER, 1000, sync)))) {
      h.open();
      for (int i = 0; i < 3; i++) send(h, "up" + i + ".bin", new byte[] {1, 2, (byte) i});
      // the host can use what it stored at once
      int[] handles = h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF);
      assertEquals(3, handles.length);
      assertEquals(List.of("up0.bin", "up1.bin", "up2.bin"), named(dir), "listing the folder named them");
      send(h, "last.bin", new byte[] {7});
      assertFalse(Files.exists(dir.resolve("last.bin")));
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("last.bin")), "durable and named before CloseSession's answer");
      assertEquals(2, sync.calls.size());
      h.assertClean();
    }
  }

  @Test
  void aResetEndsTheSessionWithEverythingDurable() throws Exception {
    RecordingSync sync = new RecordingSync();
    try (TestHost h = new TestHost(responder(storage(dir, NEVER, 1000, sync)))) {
      h.open();
      send(h, "before-reset.bin", new byte[] {9, 9});
      h.link.reset();
      // served in order: the reset's session end came before this answer
      expect(ResponseCode.OK, h.tx(OperationCode.GET_DEVICE_INFO));
      assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(dir.resolve("before-reset.bin")));
    }
  }

  @Test
  void aMoveToAnotherStorageDeletesTheSourceOnlyOnceTheCopyIsDurable() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "moving");
    RecordingSync sync = new RecordingSync();
    List<Boolean> sourceThereAtSync = new CopyOnWriteArrayList<>();
    sync.during = () -> sourceThereAtSync.add(Files.exists(dir.resolve("a.txt")));
    try (TestHost h = new TestHost(responder(new FileSystemStorage("One", dir, false), storage(dir2, NEVER, 1000, sync)))) {
      h.open();
      int a = h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF)[0];
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, a, Fixtures.STORAGE_2, 0));
      assertEquals(List.of(true), sourceThereAtSync, "the copy was made durable while the source still existed");
      assertEquals("moving", Files.readString(dir2.resolve("a.txt")), "named before the move was answered");
      assertFalse(Files.exists(dir.resolve("a.txt")));
      h.assertClean();
    }
  }
}
