package io.mtpbridge.core.storage.fs;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.operations.StandardOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program on the device swaps a symbolic link in after the storage checked a path and before it
 * opened it (mtpd runs as root; the storage's folders are often writable by ordinary users). The
 * link leads out of the storage, to a file the host must never read; GetObject and CopyObject
 * must not follow it.
 */
class SwappedLinkTest {
  @TempDir Path dir;
  @TempDir Path outside;

  private FileSystemStorage storage;

  private TestHost host() throws IOException {
    storage = new FileSystemStorage("Internal", dir, false);
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(storage)
        .build();
    TestHost h = new TestHost(r);
    h.open();
    return h;
  }

  private static int handleOf(TestHost h, int parent, String name) throws IOException {
    for (int x : h.handles(0, 0, parent)) {
      if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename().equals(name)) return x;
    }
    throw new AssertionError(name + " not listed");
  }

  /** Moves {@code victim} aside and puts a link in its place (once: the seam may run more than once in an operation). */
  private static void swap(Path victim, Path linkTarget) {
    if (Files.isSymbolicLink(victim)) return;
    try {
      Path aside = victim.resolveSibling(victim.getFileName() + ".old");
      Files.move(victim, aside);
      Files.createSymbolicLink(victim, linkTarget);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aFileSwappedForALinkOutOfTheStorageIsNotRead() throws Exception {
    Files.writeString(outside.resolve("shadow"), "SECRET");
    Files.writeString(dir.resolve("notes.txt"), "public");
    try (TestHost h = host()) {
      int notes = handleOf(h, 0xFFFFFFFF, "notes.txt");
      storage.betweenCheckAndUse = () -> swap(dir.resolve("notes.txt"), outside.resolve("shadow"));
      LoopbackExchange x = h.tx(OperationCode.GET_OBJECT, notes);
      assertNotEquals(ResponseCode.OK.value(), x.code(), "GetObject followed a link swapped in after the check");
      expect(ResponseCode.INVALID_OBJECT_HANDLE, x);
      assertNotEquals("SECRET", x.data() == null ? "" : new String(x.data(), StandardCharsets.UTF_8));
      h.assertClean();
    }
  }

  @Test
  void aFolderSwappedForALinkOutOfTheStorageIsNotFollowed() throws Exception {
    Files.createDirectories(outside.resolve("etc"));
    Files.writeString(outside.resolve("etc/notes.txt"), "SECRET");
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/notes.txt"), "public");
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int notes = handleOf(h, docs, "notes.txt");
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), outside.resolve("etc"));
      LoopbackExchange x = h.tx(OperationCode.GET_PARTIAL_OBJECT, notes, 0, 100);
      assertNotEquals(ResponseCode.OK.value(), x.code(), "GetPartialObject followed a folder link swapped in after the check");
      expect(ResponseCode.INVALID_OBJECT_HANDLE, x);
      storage.betweenCheckAndUse = null;
      // CopyObject reads through the same door.
      Files.delete(dir.resolve("docs"));
      Files.move(dir.resolve("docs.old"), dir.resolve("docs"));
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), outside.resolve("etc"));
      assertNotEquals(ResponseCode.OK.value(), h.tx(OperationCode.COPY_OBJECT, notes, 0x00010001, 0).code());
      assertEquals(false, Files.exists(dir.resolve("notes.txt")), "nothing copied out of the link");
      h.assertClean();
    }
  }

  @Test
  void aDeleteThroughAFolderSwappedForALinkDeletesNothingOutside() throws Exception {
    Files.createDirectories(outside.resolve("etc"));
    Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0");
    Files.createDirectories(outside.resolve("etc/cron.d"));
    Files.createDirectories(dir.resolve("docs/cron.d"));
    Files.writeString(dir.resolve("docs/passwd"), "mine");
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int passwd = handleOf(h, docs, "passwd");
      int cron = handleOf(h, docs, "cron.d");
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), outside.resolve("etc"));
      h.tx(OperationCode.DELETE_OBJECT, passwd, 0);
      assertEquals("root:x:0:0", Files.readString(outside.resolve("etc/passwd")), "a file outside the storage was deleted");
      storage.betweenCheckAndUse = null;
      Files.delete(dir.resolve("docs"));
      Files.move(dir.resolve("docs.old"), dir.resolve("docs"));
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), outside.resolve("etc"));
      h.tx(OperationCode.DELETE_OBJECT, cron, 0);
      assertEquals(true, Files.isDirectory(outside.resolve("etc/cron.d")), "a folder outside the storage was deleted");
      storage.betweenCheckAndUse = null;
      h.assertClean();
    }
  }

  @Test
  void anUploadIntoAFolderSwappedForALinkWritesNothingOutside() throws Exception {
    Files.createDirectories(outside.resolve("etc/cron.d"));
    Files.createDirectories(dir.resolve("docs"));
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), outside.resolve("etc"));
      LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, io.mtpbridge.core.responder.Fixtures.fileInfo("evil", 4), 0x00010001, docs);
      if (x.code() == ResponseCode.OK.value()) h.send(OperationCode.SEND_OBJECT, "* * *".substring(0, 4).getBytes(StandardCharsets.UTF_8));
      storage.betweenCheckAndUse = null;
      assertNotEquals(ResponseCode.OK.value(), x.code(), "an upload was accepted into a folder that is now a link out of the storage");
      try (var s = Files.list(outside.resolve("etc"))) {
        assertEquals(java.util.List.of("cron.d"), s.map(p -> p.getFileName().toString()).toList(), "written outside the storage");
      }
      h.assertClean();
    }
  }

  @Test
  void aRenameInAFolderSwappedForALinkRenamesNothingOutside() throws Exception {
    Files.createDirectories(outside.resolve("etc"));
    Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0");
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/passwd"), "mine");
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int passwd = handleOf(h, docs, "passwd");
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), outside.resolve("etc"));
      LoopbackExchange x = h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(io.mtpbridge.core.dataset.PropertyValue.str("passwd.old")),
          passwd, io.mtpbridge.core.code.ObjectPropertyCode.OBJECT_FILE_NAME.value());
      storage.betweenCheckAndUse = null;
      assertNotEquals(ResponseCode.OK.value(), x.code(), "renamed through a folder that is now a link out of the storage");
      assertEquals("root:x:0:0", Files.readString(outside.resolve("etc/passwd")), "a file outside the storage was renamed");
      h.assertClean();
    }
  }

  @Test
  void renamingAndMovingStillWork() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Files.createDirectories(dir.resolve("box"));
    Files.writeString(dir.resolve("docs/f.txt"), "f");
    Files.writeString(dir.resolve("box/g.txt"), "g");
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int box = handleOf(h, 0xFFFFFFFF, "box");
      int f = handleOf(h, docs, "f.txt");
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(io.mtpbridge.core.dataset.PropertyValue.str("g.txt")),
          f, io.mtpbridge.core.code.ObjectPropertyCode.OBJECT_FILE_NAME.value()));
      expect(ResponseCode.INVALID_PARAMETER, h.tx(OperationCode.MOVE_OBJECT, f, 0x00010001, box));
      assertEquals("g", Files.readString(dir.resolve("box/g.txt")), "never over another file");
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, docs, 0x00010001, box));
      assertEquals("f", Files.readString(dir.resolve("box/docs/g.txt")));
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(io.mtpbridge.core.dataset.PropertyValue.str("Box 2")),
          box, io.mtpbridge.core.code.ObjectPropertyCode.OBJECT_FILE_NAME.value()));
      assertEquals("f", Files.readString(dir.resolve("Box 2/docs/g.txt")));
      assertEquals("f", new String(TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, f))), StandardCharsets.UTF_8));
      h.assertClean();
    }
  }

  @Test
  void anEditCommittedAfterItsFolderWasSwappedChangesNothingOutside() throws Exception {
    Path victim = Files.writeString(outside.resolve("shadow"), "SECRET");
    Files.setPosixFilePermissions(victim, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/f.txt"), "hello");
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      int f = handleOf(h, docs, "f.txt");
      expect(ResponseCode.OK, h.tx(OperationCode.BEGIN_EDIT_OBJECT, f));
      expect(ResponseCode.OK, h.send(OperationCode.SEND_PARTIAL_OBJECT, "HE".getBytes(StandardCharsets.UTF_8), f, 0, 0, 2));
      // The working copy's name, which any program that can list the folder sees.
      String work;
      try (var names = Files.list(dir.resolve("docs"))) {
        work = names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".mtpbridge-edit-")).findFirst().orElseThrow();
      }
      // A folder of the attacker's holding a file of the edited name (mode 0777) and, under the
      // working copy's name, a link to the victim.
      Path evil = Files.createDirectories(outside.resolve("evil"));
      Files.writeString(evil.resolve("f.txt"), "x");
      Files.setPosixFilePermissions(evil.resolve("f.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      Files.createSymbolicLink(evil.resolve(work), victim);
      storage.betweenCheckAndUse = () -> swap(dir.resolve("docs"), evil);
      h.tx(OperationCode.END_EDIT_OBJECT, f);
      storage.betweenCheckAndUse = null;
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)),
          "the mode of a file outside the storage was changed");
      assertEquals("SECRET", Files.readString(victim));
    }
  }

  @Test
  void deletingStillWorks() throws Exception {
    Files.createDirectories(dir.resolve("docs/links"));
    Files.writeString(dir.resolve("docs/f.txt"), "f");
    Files.createSymbolicLink(dir.resolve("docs/links/out"), outside);
    Files.createSymbolicLink(dir.resolve("docs/alias.txt"), Path.of("f.txt"));
    Files.createDirectories(dir.resolve("full"));
    Files.writeString(dir.resolve("full/x.txt"), "x");
    Files.setPosixFilePermissions(dir.resolve("full/x.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
    try (TestHost h = host()) {
      int docs = handleOf(h, 0xFFFFFFFF, "docs");
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, handleOf(h, docs, "alias.txt"), 0));
      assertEquals("f", Files.readString(dir.resolve("docs/f.txt")), "deleting a link deletes the link");
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, docs, 0));
      assertEquals(false, Files.exists(dir.resolve("docs"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
      assertEquals(true, Files.isDirectory(outside));
      expect(ResponseCode.PARTIAL_DELETION, h.tx(OperationCode.DELETE_OBJECT, handleOf(h, 0xFFFFFFFF, "full"), 0));
      assertEquals("x", Files.readString(dir.resolve("full/x.txt")));
      h.assertClean();
    }
  }

  @Test
  void aLinkToAFileInsideTheStorageIsStillRead() throws Exception {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/real.txt"), "inside");
    Files.createSymbolicLink(dir.resolve("alias.txt"), Path.of("docs/real.txt"));
    try (TestHost h = host()) {
      int alias = handleOf(h, 0xFFFFFFFF, "alias.txt");
      assertEquals("inside", new String(TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, alias))), StandardCharsets.UTF_8));
      h.assertClean();
    }
  }
}
