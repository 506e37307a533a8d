package io.mtpbridge.core.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import io.mtpbridge.core.code.AccessCapability;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-system storage on real temporary directories. */
class FileSystemStorageTest {
  @TempDir Path root;
  @TempDir Path outside;

  private static List<String> names(Stream<ObjectMetadata> s) {
    try (s) {
      return s.map(ObjectMetadata::name).sorted().toList();
    }
  }

  private static List<String> dirNames(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static StorageError errorOf(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(StorageException.class, e).error();
  }

  @Test
  void namesThatCouldEscapeAreRejected() {
    for (String bad : new String[] {"", ".", "..", "a/b", "a\\b", "nul\0here", "x".repeat(255), "\uD800", "a\uDC00b"}) {
      assertFalse(ObjectNames.isValid(bad), bad);
      assertThrows(StorageException.class, () -> ObjectPath.ROOT.child(bad));
    }
    assertTrue(ObjectNames.isValid("ok name \uD83D\uDE00.txt"));
    assertTrue(ObjectNames.isValid("x".repeat(254)));
  }

  @Test
  void symlinksLeadingOutAreNeitherListedNorFollowed() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("secret-link.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nothing-here"));
    Files.writeString(root.resolve("real.txt"), "real");
    Files.createSymbolicLink(root.resolve("inside-link.txt"), root.resolve("real.txt"));
    FileSystemStorage s = new FileSystemStorage("S", root, false);
    assertEquals(List.of("inside-link.txt", "real.txt"), names(s.list(ObjectPath.ROOT)));
    assertEquals(StorageError.ACCESS_DENIED, errorOf(() -> s.openRead(ObjectPath.of("secret-link.txt"), 0)));
    assertEquals(StorageError.ACCESS_DENIED, errorOf(() -> s.list(ObjectPath.of("escape"))));
    assertEquals(StorageError.ACCESS_DENIED, errorOf(() -> s.stat(ObjectPath.of("escape", "secret.txt"))));
    assertEquals(StorageError.ACCESS_DENIED,
        errorOf(() -> s.beginUpload(ObjectPath.of("escape"), new NewObject("planted.txt", false, 1, 0x3000, null, null))));
    assertEquals(StorageError.ACCESS_DENIED, errorOf(() -> s.delete(ObjectPath.of("escape", "secret.txt"))));
    assertTrue(Files.exists(outside.resolve("secret.txt")));
    assertFalse(Files.exists(outside.resolve("planted.txt")));
    assertEquals(4, s.stat(ObjectPath.of("inside-link.txt")).size(), "links that stay inside work");
  }

  @Test
  void uploadIsInvisibleUntilCommitAndAbortLeavesNothing() throws Exception {
    FileSystemStorage s = new FileSystemStorage("S", root, false);
    Instant when = Instant.parse("2022-03-04T05:06:07Z");
    Upload up = s.beginUpload(ObjectPath.ROOT, new NewObject("f.bin", false, 6, 0x3000, null, when));
    up.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertEquals(List.of(), names(s.list(ObjectPath.ROOT)), "the temporary file is not listed");
    assertFalse(Files.exists(root.resolve("f.bin")));
    up.abort();
    assertEquals(List.of(), dirNames(root), "abort deletes the temporary file");

    Upload ok = s.beginUpload(ObjectPath.ROOT, new NewObject("f.bin", false, 6, 0x3000, null, when));
    ok.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    ok.write(ByteBuffer.wrap(new byte[] {4, 5, 6}));
    ObjectMetadata m = ok.commit();
    ok.close(); // no effect after commit
    assertEquals(6, m.size());
    assertEquals(when, Files.getLastModifiedTime(root.resolve("f.bin")).toInstant());
    assertEquals(List.of("f.bin"), dirNames(root));
  }

  @Test
  void shortOrLongUploadsAreRefusedAndLeaveNothing() throws Exception {
    FileSystemStorage s = new FileSystemStorage("S", root, false);
    Upload shortOne = s.beginUpload(ObjectPath.ROOT, new NewObject("s.bin", false, 10, 0x3000, null, null));
    shortOne.write(ByteBuffer.wrap(new byte[4]));
    assertEquals(StorageError.INCOMPLETE, errorOf(shortOne::commit));
    Upload longOne = s.beginUpload(ObjectPath.ROOT, new NewObject("l.bin", false, 2, 0x3000, null, null));
    assertEquals(StorageError.INCOMPLETE, errorOf(() -> longOne.write(ByteBuffer.wrap(new byte[3]))));
    longOne.close();
    assertEquals(List.of(), dirNames(root));
  }

  @Test
  void spaceIsCheckedBeforeAnyData() throws Exception {
    FileSystemStorage s = new FileSystemStorage("S", root, false);
    var store = Files.getFileStore(root);
    // Other programs share this disk: free space + 1 raced one freeing space meanwhile, so ask for
    // half of the used space on top of what is free (still less than the total).
    long free = store.getUsableSpace();
    long tooMuch = free + Math.max(1, (store.getTotalSpace() - free) / 2);
    assertEquals(StorageError.STORE_FULL,
        errorOf(() -> s.beginUpload(ObjectPath.ROOT, new NewObject("a", false, tooMuch, 0x3000, null, null))));
    assertEquals(StorageError.OBJECT_TOO_LARGE,
        errorOf(() -> s.beginUpload(ObjectPath.ROOT, new NewObject("a", false, store.getTotalSpace() + 1, 0x3000, null, null))));
    assertEquals(List.of(), dirNames(root));
  }

  @Test
  void readOnlyStorageRefusesEveryWrite() throws Exception {
    Files.writeString(root.resolve("a.txt"), "a");
    Files.createDirectory(root.resolve("d"));
    FileSystemStorage s = new FileSystemStorage("RO", root, true);
    ObjectPath a = ObjectPath.of("a.txt");
    assertEquals(AccessCapability.READ_ONLY_WITHOUT_OBJECT_DELETION, s.details().access());
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.beginUpload(ObjectPath.ROOT, new NewObject("n", false, 1, 0x3000, null, null))));
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.createFolder(ObjectPath.ROOT, new NewObject("n", true, 0, 0x3001, null, null))));
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.delete(a)));
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.rename(a, "b.txt")));
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.move(a, ObjectPath.of("d"))));
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.setModified(a, Instant.EPOCH)));
    assertEquals(StorageError.READ_ONLY, errorOf(() -> s.openEditor(a)));
    assertEquals(List.of("a.txt", "d"), dirNames(root));
    assertEquals("a", Files.readString(root.resolve("a.txt")));
  }

  @Test
  void renameMoveDeleteAndEdit() throws Exception {
    Files.writeString(root.resolve("a.txt"), "abcdef");
    Files.createDirectory(root.resolve("d"));
    FileSystemStorage s = new FileSystemStorage("S", root, false);
    assertEquals("b.txt", s.rename(ObjectPath.of("a.txt"), "b.txt").name());
    assertEquals(StorageError.ALREADY_EXISTS, errorOf(() -> s.rename(ObjectPath.of("b.txt"), "d")));
    s.move(ObjectPath.of("b.txt"), ObjectPath.of("d"));
    assertTrue(Files.exists(root.resolve("d/b.txt")));
    assertEquals(StorageError.NOT_EMPTY, errorOf(() -> s.delete(ObjectPath.of("d"))));
    assertEquals(StorageError.INVALID_PARENT, errorOf(() -> s.move(ObjectPath.of("d"), ObjectPath.of("d"))));
    try (var ed = s.openEditor(ObjectPath.of("d", "b.txt"))) {
      ed.write(1, ByteBuffer.wrap(new byte[] {'X'}));
      ed.truncate(3);
      assertEquals(3, ed.commit(ObjectPath.of("d", "b.txt")).size());
    }
    assertEquals("aXc", Files.readString(root.resolve("d/b.txt")));
    s.delete(ObjectPath.of("d", "b.txt"));
    s.delete(ObjectPath.of("d"));
    assertEquals(List.of(), dirNames(root));
    assertEquals(StorageError.NOT_FOUND, errorOf(() -> s.stat(ObjectPath.of("d"))));
  }

  @Test
  void rootMustBeADirectory() throws Exception {
    Path file = Files.writeString(root.resolve("f"), "x");
    assertThrows(java.io.IOException.class, () -> new FileSystemStorage("S", file, false));
  }
}
