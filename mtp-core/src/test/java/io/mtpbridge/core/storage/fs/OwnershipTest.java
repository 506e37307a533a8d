package io.mtpbridge.core.storage.fs;

import static io.mtpbridge.core.responder.Fixtures.STORAGE_1;
import static io.mtpbridge.core.responder.Fixtures.STORAGE_2;
import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the host creates gets the storage's owner and mode: by default the mode a normal creation
 * gives (the issue: uploads kept their temporary file's 0600, unreadable for apps), or what the
 * storage is configured with. Runs as root (real chown to other ids) and as an ordinary user (its
 * own ids, and a clean refusal when asked for an owner it cannot give).
 */
class OwnershipTest {
  @TempDir Path dir;
  @TempDir Path dir2;

  static final boolean ROOT = "0".equals(idOf("unix:uid"));
  static final UserPrincipalLookupService LOOKUP = FileSystems.getDefault().getUserPrincipalLookupService();

  private static String idOf(String attribute) {
    try {
      return String.valueOf(Files.getAttribute(Files.createTempFile("id", ".probe"), attribute));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static int mode(Path p) throws IOException { return (Integer) Files.getAttribute(p, "unix:mode") & 07777; }
  static int uid(Path p) throws IOException { return (Integer) Files.getAttribute(p, "unix:uid"); }
  static int gid(Path p) throws IOException { return (Integer) Files.getAttribute(p, "unix:gid"); }

  static String octal(int m) { return String.format("%04o", m); }

  static void upload(FileSystemStorage s, ObjectPath parent, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    try (Upload up = s.beginUpload(parent, new NewObject(name, false, b.length, 0x3000, null, null))) {
      up.write(ByteBuffer.wrap(b));
      up.commit();
    }
  }

  static List<Path> temporaries(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".mtpbridge-")).toList();
    }
  }

  @Test
  void umaskIsReadFromProcStatus() {
    assertEquals(0027, Umask.parse("Name:\tjava\nUmask:\t0027\nState:\tS (sleeping)\n"));
    assertEquals(022, Umask.parse("Name:\tjava\n"), "no Umask line (kernels before 4.7): the usual 022");
  }

  @Test
  void byDefaultUploadsAndFoldersGetTheModeANormalCreationGives() throws Exception {
    FileSystemStorage s = new FileSystemStorage("Internal", dir, false);
    upload(s, ObjectPath.ROOT, "song.mp3", "la la");
    s.createFolder(ObjectPath.ROOT, new NewObject("Album", true, 0, 0x3001, null, null));
    Path normalFile = Files.createFile(dir2.resolve("normal"));
    Path normalFolder = Files.createDirectory(dir2.resolve("normal-dir"));
    assertEquals(octal(mode(normalFile)), octal(mode(dir.resolve("song.mp3"))), "an upload has a normal file's mode, not 0600");
    assertEquals(octal(0666 & ~Umask.get()), octal(mode(dir.resolve("song.mp3"))));
    assertEquals(octal(mode(normalFolder)), octal(mode(dir.resolve("Album"))));
    assertEquals(uid(normalFile), uid(dir.resolve("song.mp3")));
    assertEquals(gid(normalFile), gid(dir.resolve("song.mp3")));
  }

  @Test
  void theTemporaryFileStaysPrivateUntilTheRename() throws Exception {
    FileSystemStorage s = new FileSystemStorage("Internal", dir, false, StorageType.FIXED_RAM,
        new Ownership(null, null, 0666, 0777));
    try (Upload up = s.beginUpload(ObjectPath.ROOT, new NewObject("secret.txt", false, 4, 0x3000, null, null))) {
      up.write(ByteBuffer.wrap(new byte[] {1, 2}));
      List<Path> temp = temporaries(dir);
      assertEquals(1, temp.size());
      assertEquals("0600", octal(mode(temp.get(0))), "half a file is readable by nobody else");
      up.write(ByteBuffer.wrap(new byte[] {3, 4}));
      up.commit();
    }
    assertEquals("0666", octal(mode(dir.resolve("secret.txt"))));
    assertEquals(List.of(), temporaries(dir));
  }

  @Test
  void configuredModesAreGivenToFilesAndFolders() throws Exception {
    FileSystemStorage s = new FileSystemStorage("Internal", dir, false, StorageType.FIXED_RAM,
        new Ownership(null, null, 0640, 02770));
    s.createFolder(ObjectPath.ROOT, new NewObject("Shared", true, 0, 0x3001, null, null));
    upload(s, ObjectPath.of("Shared"), "a.txt", "abc");
    assertEquals("2770", octal(mode(dir.resolve("Shared"))), "set-group-ID kept for shared folders");
    assertEquals("0640", octal(mode(dir.resolve("Shared/a.txt"))));
    assertEquals("abc", Files.readString(dir.resolve("Shared/a.txt")));
  }

  /** Root gives other ids; an ordinary user gives its own (the only ones it may), which still goes through chown. */
  @Test
  void configuredOwnerAndGroupAreGiven() throws Exception {
    int wantUid = ROOT ? 12345 : uid(dir);
    int wantGid = ROOT ? 54321 : gid(dir);
    UserPrincipal owner = LOOKUP.lookupPrincipalByName(String.valueOf(wantUid));
    GroupPrincipal group = LOOKUP.lookupPrincipalByGroupName(String.valueOf(wantGid));
    FileSystemStorage s = new FileSystemStorage("Internal", dir, false, StorageType.FIXED_RAM, new Ownership(owner, group, 0664, 0775));
    s.createFolder(ObjectPath.ROOT, new NewObject("Music", true, 0, 0x3001, null, null));
    upload(s, ObjectPath.of("Music"), "t.ogg", "ogg");
    for (Path p : List.of(dir.resolve("Music"), dir.resolve("Music/t.ogg"))) {
      assertEquals(wantUid, uid(p), p + " owner");
      assertEquals(wantGid, gid(p), p + " group");
    }
    assertEquals("0664", octal(mode(dir.resolve("Music/t.ogg"))));
    assertEquals("0775", octal(mode(dir.resolve("Music"))));
  }

  /** Only an ordinary user can be refused a chown; as root the refusal cannot happen, the test above covers root. */
  @Test
  void anOwnerThatCannotBeGivenRefusesTheUploadAndLeavesNothing() throws Exception {
    UserPrincipal other = LOOKUP.lookupPrincipalByName("0");
    FileSystemStorage s = new FileSystemStorage("Internal", dir, false, StorageType.FIXED_RAM, new Ownership(other, null, null, null));
    if (ROOT) {
      upload(s, ObjectPath.ROOT, "ok.txt", "x"); // root may give root's files: nothing to refuse
      assertEquals(0, uid(dir.resolve("ok.txt")));
      return;
    }
    StorageException e = assertThrows(StorageException.class, () -> upload(s, ObjectPath.ROOT, "no.txt", "x"));
    assertEquals(StorageError.ACCESS_DENIED, e.error(), e.getMessage());
    assertFalse(Files.exists(dir.resolve("no.txt")), "no file without the owner asked for");
    assertEquals(List.of(), temporaries(dir), "and no temporary file either");
    StorageException f = assertThrows(StorageException.class,
        () -> s.createFolder(ObjectPath.ROOT, new NewObject("NoDir", true, 0, 0x3001, null, null)));
    assertEquals(StorageError.ACCESS_DENIED, f.error(), f.getMessage());
    assertFalse(Files.exists(dir.resolve("NoDir")));
  }

  @Test
  void copiesAndMovesBetweenStoragesAreCreatedWithTheTargetStoragesOwnership() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "hello a");
    Files.createDirectories(dir.resolve("docs/deep"));
    Files.writeString(dir.resolve("docs/deep/c.txt"), "inside");
    Files.setAttribute(dir.resolve("a.txt"), "unix:mode", 0600);
    Files.setAttribute(dir.resolve("docs/deep/c.txt"), "unix:mode", 0600);
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new FileSystemStorage("Internal", dir, false))
        .addStorage(new FileSystemStorage("Card", dir2, false, StorageType.FIXED_RAM, new Ownership(null, null, 0644, 0755)))
        .build();
    try (TestHost h = new TestHost(r)) {
      h.open();
      int a = child(h, STORAGE_1, 0xFFFFFFFF, "a.txt");
      int docs = child(h, STORAGE_1, 0xFFFFFFFF, "docs");
      expect(ResponseCode.OK, h.tx(OperationCode.COPY_OBJECT, a, STORAGE_2, 0));
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, docs, STORAGE_2, 0));
      assertEquals("0644", octal(mode(dir2.resolve("a.txt"))), "a copy is a new file of the target storage");
      assertEquals("0644", octal(mode(dir2.resolve("docs/deep/c.txt"))), "so is a file moved in from another storage");
      assertEquals("0755", octal(mode(dir2.resolve("docs/deep"))));
      assertEquals("0600", octal(mode(dir.resolve("a.txt"))), "the original is untouched");
      // Within one storage a move is a rename: nothing is created, the object keeps its mode.
      int copy = child(h, STORAGE_2, 0xFFFFFFFF, "a.txt");
      Files.setAttribute(dir2.resolve("a.txt"), "unix:mode", 0604);
      int folder = child(h, STORAGE_2, 0xFFFFFFFF, "docs");
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, copy, STORAGE_2, folder));
      assertEquals("0604", octal(mode(dir2.resolve("docs/a.txt"))));
      // And an upload through the responder, as the host does it.
      LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("up.txt", 2), STORAGE_1, 0xFFFFFFFF);
      expect(ResponseCode.OK, x);
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {'h', 'i'}));
      assertEquals(octal(0666 & ~Umask.get()), octal(mode(dir.resolve("up.txt"))));
      h.assertClean();
    }
  }

  static int child(TestHost h, int storage, int parent, String name) throws IOException {
    for (int hd : h.handles(storage, 0, parent)) {
      if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, hd))).filename().equals(name)) return hd;
    }
    throw new AssertionError("no " + name);
  }

  @Test
  void modesOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Ownership(null, null, 010000, null));
    assertThrows(IllegalArgumentException.class, () -> new Ownership(null, null, null, -1));
    assertTrue(Ownership.DEFAULT.isDefault());
  }
}
