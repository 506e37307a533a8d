package io.mtpbridge.core.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload's last step and how file-system failures are read: the final name is taken
 * atomically and never over a file that appeared meanwhile; a full disk or a read-only mount is
 * recognised from the free space and the mount, not from the (localised) error text.
 */
class CommitAndFailureTest {
  @TempDir Path dir;
  private final FileSystemStorage.SpaceProbe realSpace = FileSystemStorage.space;

  @AfterEach
  void restore() {
    FileSystemStorage.space = realSpace;
    NoReplace.beforePlace = () -> {};
    NoReplace.hardLinks = true;
  }

  private static List<String> files(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFileThatAppearsJustBeforeTheCommitIsNeverOverwritten() throws Exception {
    FileSystemStorage s = new FileSystemStorage("S", dir, false);
    Upload up = s.beginUpload(ObjectPath.ROOT, new NewObject("photo.jpg", false, 3, 0x3801, null, null));
    up.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    // a device-side program saves a file of that name at the last moment
    NoReplace.beforePlace = () -> {
      try {
        Files.writeString(dir.resolve("photo.jpg"), "the device's own photo");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
    assertEquals(StorageError.ALREADY_EXISTS, assertThrows(StorageException.class, up::commit).error());
    assertEquals("the device's own photo", Files.readString(dir.resolve("photo.jpg")));
    assertEquals(List.of("photo.jpg"), files(dir), "no temporary file left");
  }

  @Test
  void concurrentCreatorsNeverLoseAFile() throws Exception {
    FileSystemStorage s = new FileSystemStorage("S", dir, false);
    for (int round = 0; round < 400; round++) {
      String name = "f" + round;
      Upload up = s.beginUpload(ObjectPath.ROOT, new NewObject(name, false, 2, 0x3000, null, null));
      up.write(ByteBuffer.wrap(new byte[] {'u', 'p'}));
      AtomicBoolean created = new AtomicBoolean();
      Thread device = new Thread(() -> {
        try {
          Files.writeString(dir.resolve(name), "device", java.nio.file.StandardOpenOption.CREATE_NEW);
          created.set(true);
        } catch (IOException e) {
          // the upload got the name first
        }
      });
      device.start();
      boolean committed;
      try {
        up.commit();
        committed = true;
      } catch (StorageException e) {
        committed = false;
      }
      device.join();
      String content = Files.readString(dir.resolve(name));
      // exactly one of them has the name, and its content is intact
      assertEquals(1, (committed ? 1 : 0) + (created.get() ? 1 : 0), "round " + round);
      assertEquals(committed ? "up" : "device", content, "round " + round);
    }
    assertEquals(400, files(dir).size());
  }

  @Test
  void withoutHardLinksTheNameIsTakenExclusively() throws Exception {
    NoReplace.hardLinks = false; // as on FAT and exFAT
    Path target = dir.resolve("x.bin");
    Path temp = Files.writeString(dir.resolve(".mtpbridge-upload-1.part"), "data");
    Files.writeString(target, "exists");
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> NoReplace.place(temp, target));
    assertEquals("exists", Files.readString(target));
    Files.delete(target);
    NoReplace.place(temp, target);
    assertEquals("data", Files.readString(target));
    assertEquals(List.of("x.bin"), files(dir));
  }

  private static void probe(long free, boolean readOnly) {
    FileSystemStorage.space = new FileSystemStorage.SpaceProbe() {
      @Override public long usableSpace(Path p) { return free; }
      @Override public boolean readOnly(Path p) { return readOnly; }
    };
  }

  @Test
  void aFullDiskIsRecognisedWhateverTheLanguageOfTheErrorText() {
    IOException german = new FileSystemException(dir.resolve("a").toString(), null, "Kein Platz mehr auf dem Gerät");
    probe(4096, false);
    assertEquals(StorageError.STORE_FULL, FileSystemStorage.translate(german, "writing a", dir, 65536).error());
    probe(10L << 30, false);
    assertEquals(StorageError.IO_FAILURE, FileSystemStorage.translate(new FileSystemException("Eingabe-/Ausgabefehler"), "writing a", dir, 65536).error(),
        "another failure with plenty of space is not 'full'");
    probe(10L << 30, true);
    assertEquals(StorageError.READ_ONLY, FileSystemStorage.translate(new FileSystemException("Dateisystem nur lesbar"), "writing a", dir, 1).error());
  }

  /**
   * A file system mounted read-only (served without :ro, or remounted read-only by the kernel
   * after an error): StorageInfo says so, and what the host announces is refused up front with
   * StoreReadOnly, leaving nothing.
   */
  @Test
  void aReadOnlyMountIsAReadOnlyStorage() throws Exception {
    Files.createDirectory(dir.resolve("docs"));
    try (io.mtpbridge.core.responder.TestHost h = new io.mtpbridge.core.responder.TestHost(io.mtpbridge.core.responder.Fixtures.responder(dir))) {
      h.open();
      probe(10L << 30, true);
      io.mtpbridge.core.dataset.StorageInfo si = io.mtpbridge.core.dataset.StorageInfo.decode(
          h.ok(h.tx(io.mtpbridge.core.code.OperationCode.GET_STORAGE_INFO, io.mtpbridge.core.responder.Fixtures.STORAGE_1)));
      assertEquals(io.mtpbridge.core.code.AccessCapability.READ_ONLY_WITHOUT_OBJECT_DELETION.value(), si.accessCapability());
      assertEquals(0, si.freeSpaceInBytes());
      io.mtpbridge.core.responder.TestHost.expect(io.mtpbridge.core.code.ResponseCode.STORE_READ_ONLY,
          h.send(io.mtpbridge.core.code.OperationCode.SEND_OBJECT_INFO, io.mtpbridge.core.responder.Fixtures.fileInfo("x.txt", 3), 0x00010001, 0));
      io.mtpbridge.core.responder.TestHost.expect(io.mtpbridge.core.code.ResponseCode.STORE_READ_ONLY,
          h.send(io.mtpbridge.core.code.OperationCode.SEND_OBJECT_INFO, io.mtpbridge.core.responder.Fixtures.folderInfo("new"), 0x00010001, 0));
      assertEquals(List.of("docs"), files(dir), "nothing created");
      probe(10L << 30, false);
      si = io.mtpbridge.core.dataset.StorageInfo.decode(
          h.ok(h.tx(io.mtpbridge.core.code.OperationCode.GET_STORAGE_INFO, io.mtpbridge.core.responder.Fixtures.STORAGE_1)));
      assertEquals(io.mtpbridge.core.code.AccessCapability.READ_WRITE.value(), si.accessCapability(), "writable again once remounted");
      h.assertClean();
    }
  }
}
