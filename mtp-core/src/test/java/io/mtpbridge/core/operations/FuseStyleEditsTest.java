package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.Fixtures.STORAGE_1;
import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.loopback.FaultPoint;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.TestHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Android edit extension driven the way a FUSE mount writes (go-mtpfs: create = SendObjectInfo
 * + empty SendObject + BeginEditObject, one SendPartialObject per write(2), TruncateObject for
 * ftruncate, EndEditObject at close; reads with GetPartialObject64). The device's file must equal
 * a reference buffer given the same operations, byte for byte, and an edit that never reaches
 * EndEditObject (host gone, reset, session closed) must leave the previous content.
 */
class FuseStyleEditsTest {
  @TempDir Path dir;
  TestHost h;
  final Random random = new Random(12);

  @BeforeEach
  void start() throws Exception {
    h = new TestHost(Fixtures.responder(dir));
    h.open();
  }

  @AfterEach
  void stop() throws Exception {
    h.assertClean();
    h.close();
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  int child(String name) throws IOException {
    for (int hd : h.handles(STORAGE_1, 0, 0xFFFFFFFF)) {
      if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, hd))).filename().equals(name)) return hd;
    }
    throw new AssertionError("no " + name);
  }

  /** go-mtpfs's Create: an empty object, then an edit opened on it. */
  int create(String name) throws IOException {
    LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo(name, 0), STORAGE_1, 0xFFFFFFFF);
    expect(ResponseCode.OK, x);
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[0]));
    begin(x.param(2));
    return x.param(2);
  }

  void begin(int handle) throws IOException { expect(ResponseCode.OK, h.tx(OperationCode.BEGIN_EDIT_OBJECT, handle)); }

  void end(int handle) throws IOException { expect(ResponseCode.OK, h.tx(OperationCode.END_EDIT_OBJECT, handle)); }

  void write(int handle, long offset, byte[] data) throws IOException {
    LoopbackExchange x = h.send(OperationCode.SEND_PARTIAL_OBJECT, data, handle, (int) offset, (int) (offset >>> 32), data.length);
    expect(ResponseCode.OK, x);
    assertEquals(data.length, x.param(0));
  }

  void truncate(int handle, long size) throws IOException {
    expect(ResponseCode.OK, h.tx(OperationCode.TRUNCATE_OBJECT, handle, (int) size, (int) (size >>> 32)));
  }

  byte[] read(int handle, long offset, int max) throws IOException {
    return TestHost.bytes(h.ok(h.tx(OperationCode.GET_PARTIAL_OBJECT64, handle, (int) offset, (int) (offset >>> 32), max)));
  }

  /** A reference file: what the device's file must equal. */
  static final class Ref {
    byte[] b = new byte[0];

    void write(long offset, byte[] d) {
      int end = (int) offset + d.length;
      if (end > b.length) b = Arrays.copyOf(b, end);
      System.arraycopy(d, 0, b, (int) offset, d.length);
    }

    void truncate(long size) { b = Arrays.copyOf(b, (int) size); }
  }

  void assertDevice(String name, Ref ref) throws IOException {
    assertArrayEquals(ref.b, Files.readAllBytes(dir.resolve(name)), name + " on the device");
  }

  List<Path> temporaries() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".mtpbridge-")).toList();
    }
  }

  @Test
  void createEmptyThenWriteInPieces() throws Exception {
    int f = create("new.bin");
    Ref ref = new Ref();
    long at = 0;
    for (int size : new int[] {1, 511, 512, 513, 4096, 65536, 131079, 3}) {
      byte[] d = bytes(size);
      write(f, at, d);
      ref.write(at, d);
      at += size;
    }
    end(f);
    assertDevice("new.bin", ref);
    assertEquals(ref.b.length, ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, f))).objectCompressedSize());
    assertEquals(List.of(), temporaries());
  }

  @Test
  void overwriteTheMiddleAppendAndTruncate() throws Exception {
    Ref ref = new Ref();
    ref.write(0, bytes(200_000));
    Files.write(dir.resolve("doc.bin"), ref.b);
    int f = child("doc.bin");

    begin(f);
    byte[] middle = bytes(1000);
    write(f, 70_000, middle);
    ref.write(70_000, middle);
    end(f);
    assertDevice("doc.bin", ref);

    begin(f);
    byte[] tail = bytes(5);
    write(f, ref.b.length, tail);
    ref.write(ref.b.length, tail);
    end(f);
    assertDevice("doc.bin", ref);

    begin(f); // truncate to 0 and write anew, as `cat x > file` does
    truncate(f, 0);
    ref.truncate(0);
    byte[] fresh = bytes(300);
    write(f, 0, fresh);
    ref.write(0, fresh);
    end(f);
    assertDevice("doc.bin", ref);

    begin(f); // truncate to a larger size: zeros
    truncate(f, 100_000);
    ref.truncate(100_000);
    end(f);
    assertDevice("doc.bin", ref);

    begin(f); // and to a smaller one
    truncate(f, 10);
    ref.truncate(10);
    end(f);
    assertDevice("doc.bin", ref);
    assertEquals(List.of(), temporaries());
  }

  /**
   * Android File Transfer's mount: every write(2) that extends the file is a TruncateObject to the
   * new size and a SendPartialObject, all inside one edit (4 KiB each from its FUSE mount). The
   * edit must cost the same per write however much was written before: one working copy, made at
   * the first change and written in place after that (a copy or a new temporary per write would
   * make a copy of n writes O(n²)).
   */
  @Test
  void aftStyleAppendsWriteIntoOneWorkingCopy() throws Exception {
    int f = create("aft.bin");
    Ref ref = new Ref();
    List<Object> workingCopy = null;
    for (int i = 0; i < 64; i++) {
      byte[] d = bytes(i == 63 ? 1 : 4096);
      long at = ref.b.length;
      truncate(f, at + d.length);
      write(f, at, d);
      ref.write(at, d);
      List<Path> temps = temporaries();
      assertEquals(1, temps.size(), "one working copy during the edit: " + temps);
      // its name and its inode (a fresh file may reuse a freed inode, never the random name)
      List<Object> now = List.of(temps.get(0), Files.getAttribute(temps.get(0), "unix:ino"));
      if (workingCopy == null) workingCopy = now;
      assertEquals(workingCopy, now, "write " + i + " went to a new working copy");
      assertEquals(0, Files.size(dir.resolve("aft.bin")), "the device's file keeps its content until EndEditObject");
    }
    end(f);
    assertDevice("aft.bin", ref);
    assertEquals(List.of(), temporaries());
  }

  @Test
  void twoFilesOpenAtOnce() throws Exception {
    int a = create("a.bin");
    int b = create("b.bin");
    Ref ra = new Ref();
    Ref rb = new Ref();
    long at = 0;
    for (int size : new int[] {100, 4096, 70_000, 7}) {
      byte[] da = bytes(size);
      byte[] db = bytes(size);
      write(a, at, da);
      write(b, at, db);
      ra.write(at, da);
      rb.write(at, db);
      at += size;
    }
    end(b);
    end(a);
    assertDevice("a.bin", ra);
    assertDevice("b.bin", rb);
  }

  @Test
  void whileTheEditIsOpenTheHostReadsWhatItWroteAndTheDeviceKeepsThePreviousContent() throws Exception {
    byte[] before = bytes(10_000);
    Files.write(dir.resolve("f.bin"), before);
    int f = child("f.bin");
    begin(f);
    byte[] d = bytes(3000);
    write(f, 9000, d); // overwrites the end and extends
    Ref ref = new Ref();
    ref.write(0, before);
    ref.write(9000, d);
    assertArrayEquals(Arrays.copyOfRange(ref.b, 8000, 12_000), read(f, 8000, 100_000), "read back before EndEditObject");
    assertArrayEquals(ref.b, TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, f))));
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("f.bin")), "others on the device see the previous content until EndEditObject");
    end(f);
    assertDevice("f.bin", ref);
  }

  @Test
  void aResetInTheMiddleLeavesThePreviousContent() throws Exception {
    byte[] before = bytes(50_000);
    Files.write(dir.resolve("f.bin"), before);
    int f = child("f.bin");
    begin(f);
    write(f, 100, bytes(2000));
    truncate(f, 20_000);
    h.link.reset(); // the USB host vanished / Device Reset: the session ends without EndEditObject
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("f.bin")));
    h.open(); // answered once the responder has ended the reset session
    assertEquals(List.of(), temporaries(), "the working copy is gone");
    assertArrayEquals(before, TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, f))));
  }

  @Test
  void aSessionClosedWithoutEndEditLeavesThePreviousContent() throws Exception {
    byte[] before = bytes(5000);
    Files.write(dir.resolve("f.bin"), before);
    int f = child("f.bin");
    begin(f);
    write(f, 0, bytes(100));
    expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("f.bin")));
    assertEquals(List.of(), temporaries());
    h.open();
  }

  @Test
  void aWriteCancelledMidwayLeavesThePreviousContentAfterTheSessionEnds() throws Exception {
    byte[] before = bytes(5000);
    Files.write(dir.resolve("f.bin"), before);
    int f = child("f.bin");
    begin(f);
    LoopbackExchange x = h.request(LoopbackRequest.of(OperationCode.SEND_PARTIAL_OBJECT.value(), h.nextTid(), f, 10, 0, 4000)
        .data(bytes(4000)).cancelAfterBytes(1000));
    assertTrue(x.cancelled());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("f.bin")));
    h.link.reset();
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("f.bin")));
    h.open();
    assertEquals(List.of(), temporaries());
  }

  @Test
  void renamedWhileOpenTheEditLandsUnderTheNewName() throws Exception {
    Files.write(dir.resolve("old.bin"), bytes(100));
    int f = child("old.bin");
    begin(f);
    byte[] d = bytes(50);
    write(f, 0, d);
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("new.bin")), f,
        ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    end(f);
    assertFalse(Files.exists(dir.resolve("old.bin")), "the old name is not brought back");
    assertArrayEquals(d, Arrays.copyOf(Files.readAllBytes(dir.resolve("new.bin")), 50));
    assertEquals(100, Files.size(dir.resolve("new.bin")));
  }

  @Test
  void deletedWhileOpenTheFileIsNotBroughtBack() throws Exception {
    Files.write(dir.resolve("gone.bin"), bytes(100));
    int f = child("gone.bin");
    begin(f);
    write(f, 0, bytes(10));
    expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, f, 0));
    assertNotEquals(ResponseCode.OK.value(), h.tx(OperationCode.END_EDIT_OBJECT, f).code());
    assertFalse(Files.exists(dir.resolve("gone.bin")));
    assertEquals(List.of(), temporaries());
  }

  @Test
  void anEditKeepsTheFilesModeAndHardLinks() throws Exception {
    Path file = Files.write(dir.resolve("m.bin"), bytes(100));
    Files.setAttribute(file, "unix:mode", 0640);
    Path linked = Files.write(dir.resolve("l.bin"), bytes(100));
    Path other = Files.createLink(dir.resolve("other-name.bin"), linked);
    int f = child("m.bin");
    begin(f);
    write(f, 0, new byte[] {1, 2, 3});
    end(f);
    assertEquals(0640, (Integer) Files.getAttribute(file, "unix:mode") & 07777);

    int l = child("l.bin");
    begin(l);
    write(l, 0, new byte[] {9, 9, 9});
    end(l);
    assertArrayEquals(Files.readAllBytes(linked), Files.readAllBytes(other), "a hard link sees the edit too");
    assertEquals(9, Files.readAllBytes(other)[0]);
  }

  @Test
  void aWorkingCopyLeftByAKilledDeviceIsRemovedWhenItsFolderIsListed() throws Exception {
    Path left = Files.write(dir.resolve(".mtpbridge-edit-123456789.part"), bytes(10));
    Path upload = Files.write(dir.resolve(".mtpbridge-upload-987654321.part"), bytes(10));
    Path mine = Files.write(dir.resolve(".mtpbridge-notes"), bytes(10)); // not one of ours: kept
    Files.write(dir.resolve("live.bin"), bytes(10));
    int f = child("live.bin"); // lists the folder
    assertFalse(Files.exists(left));
    assertFalse(Files.exists(upload));
    assertTrue(Files.exists(mine));
    // but never the working copy of a live edit
    begin(f);
    byte[] d = bytes(5);
    write(f, 0, d);
    Thread.sleep(1100); // past the reuse of a fresh listing: the next request lists the folder again
    h.handles(STORAGE_1, 0, 0xFFFFFFFF);
    end(f);
    assertArrayEquals(d, Arrays.copyOf(Files.readAllBytes(dir.resolve("live.bin")), 5));
    Files.delete(mine);
    assertEquals(List.of(), temporaries());
  }
}
