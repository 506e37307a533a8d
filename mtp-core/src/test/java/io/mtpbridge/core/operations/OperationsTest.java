package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.Fixtures.STORAGE_1;
import static io.mtpbridge.core.responder.Fixtures.STORAGE_2;
import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.DevicePropertyCode;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DateTimeString;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.DeviceTime;
import io.mtpbridge.core.dataset.DevicePropDesc;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropDesc;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.dataset.StorageInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test (at least) per operation, through the loopback transport, on real temporary directories. */
class OperationsTest {
  @TempDir Path dir;
  @TempDir Path dir2;
  @TempDir Path state;
  TestHost h;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "hello a");
    Files.write(dir.resolve("b.jpg"), new byte[] {1, 2, 3});
    Files.createDirectory(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/c.txt"), "inside");
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .friendlyNameFile(state.resolve("friendly-name"))
        .referencesFile(state.resolve("object-references"))
        .addStorage(new FileSystemStorage("Internal", dir, false))
        .addStorage(new FileSystemStorage("Card", dir2, false))
        .build();
    h = new TestHost(r);
    h.open();
  }

  @AfterEach
  void stop() throws Exception {
    h.assertClean();
    h.close();
  }

  /** Handle of a root object (or of a path like "docs/c.txt") by name. */
  int handle(String path) throws IOException {
    int parent = 0xFFFFFFFF;
    int storage = STORAGE_1;
    int found = 0;
    for (String name : path.split("/")) {
      found = 0;
      for (int hd : h.handles(storage, 0, parent)) {
        if (info(hd).filename().equals(name)) found = hd;
      }
      assertNotEquals(0, found, "no object " + path);
      parent = found;
    }
    return found;
  }

  ObjectInfo info(int handle) throws IOException {
    return ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle)));
  }

  byte[] get(int handle) throws IOException {
    return TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, handle)));
  }

  int upload(int storage, int parent, String name, byte[] content) throws IOException {
    LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo(name, content.length), storage, parent);
    expect(ResponseCode.OK, x);
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, content));
    return x.param(2);
  }

  // ---- device ----

  @Test
  void getDeviceInfo() throws Exception {
    DeviceInfo info = DeviceInfo.decode(h.ok(h.tx(OperationCode.GET_DEVICE_INFO)));
    assertEquals("SERIAL1", info.serialNumber());
    assertTrue(List.of(ObjectFormat.ASSOCIATION.value(), ObjectFormat.UNDEFINED.value(), ObjectFormat.EXIF_JPEG.value())
        .stream().allMatch(f -> java.util.Arrays.stream(info.playbackFormats()).anyMatch(p -> p == f)));
    assertTrue(java.util.Arrays.stream(info.devicePropertiesSupported()).anyMatch(p -> p == DevicePropertyCode.DEVICE_FRIENDLY_NAME.value()));
    assertTrue(java.util.Arrays.stream(info.eventsSupported()).anyMatch(p -> p == 0x4002));
  }

  @Test
  void openAndCloseSession() throws Exception {
    expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
    expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.GET_STORAGE_IDS));
    h.open();
  }

  @Test
  void handlesStayValidInTheNextSessionAndAfterAReset() throws Exception {
    // libmtp: mtp-files lists in one session, mtp-getfile <id> uses the id in the next.
    int a = handle("a.txt");
    int c = handle("docs/c.txt");
    expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
    h.open();
    assertEquals("hello a", new String(get(a), StandardCharsets.UTF_8));
    h.link.reset();
    h.open();
    assertEquals("inside", new String(get(c), StandardCharsets.UTF_8));
    assertEquals(a, handle("a.txt"), "listing again gives the same handle");
    // Deleted on the device while no session watched: the handle is refused, and never reused.
    expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
    Files.delete(dir.resolve("a.txt"));
    Files.writeString(dir.resolve("a.txt"), "new a");
    h.open();
    int again = handle("a.txt");
    assertEquals("new a", new String(get(again), StandardCharsets.UTF_8));
    expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
    Files.delete(dir.resolve("docs/c.txt"));
    h.open();
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, c));
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT, c));
  }

  // ---- storages ----

  @Test
  void getStorageIds() throws Exception {
    assertArrayEquals(new int[] {STORAGE_1, STORAGE_2}, h.storageIds());
  }

  @Test
  void getStorageInfo() throws Exception {
    StorageInfo si = StorageInfo.decode(h.ok(h.tx(OperationCode.GET_STORAGE_INFO, STORAGE_1)));
    assertEquals("Internal", si.storageDescription());
    assertTrue(si.maxCapacity() > 0 && si.freeSpaceInBytes() > 0);
    assertEquals(0, si.accessCapability());
    expect(ResponseCode.INVALID_STORAGE_ID, h.tx(OperationCode.GET_STORAGE_INFO, 0x00030001));
  }

  // ---- enumeration ----

  @Test
  void getObjectHandlesAndGetNumObjects() throws Exception {
    assertEquals(3, h.handles(STORAGE_1, 0, 0xFFFFFFFF).length);
    assertEquals(4, h.handles(STORAGE_1, 0, 0).length, "parent 0 = every object");
    assertEquals(4, h.handles(0xFFFFFFFF, 0, 0).length, "storage 0xFFFFFFFF = all storages (the second is empty)");
    assertEquals(1, h.handles(STORAGE_1, ObjectFormat.EXIF_JPEG.value(), 0xFFFFFFFF).length);
    int docs = handle("docs");
    assertEquals(1, h.handles(STORAGE_1, 0, docs).length);
    assertEquals(1, h.handles(0, 0, docs).length);
    LoopbackExchange n = h.tx(OperationCode.GET_NUM_OBJECTS, STORAGE_1, 0, 0xFFFFFFFF);
    expect(ResponseCode.OK, n);
    assertEquals(3, n.param(0));
    expect(ResponseCode.INVALID_STORAGE_ID, h.tx(OperationCode.GET_OBJECT_HANDLES, 0x00070001, 0, 0));
    expect(ResponseCode.INVALID_PARENT_OBJECT, h.tx(OperationCode.GET_OBJECT_HANDLES, STORAGE_1, 0, handle("a.txt")));
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_HANDLES, STORAGE_1, 0, 0x12345));
    // Handles are stable: asking again gives the same ones.
    assertArrayEquals(h.handles(STORAGE_1, 0, 0xFFFFFFFF), h.handles(STORAGE_1, 0, 0xFFFFFFFF));
  }

  @Test
  void getObjectInfo() throws Exception {
    ObjectInfo a = info(handle("a.txt"));
    assertEquals("a.txt", a.filename());
    assertEquals(7, a.objectCompressedSize());
    assertEquals(0, a.parentObject(), "root objects report parent 0");
    assertEquals(STORAGE_1, a.storageId());
    assertEquals(ObjectFormat.TEXT.value(), a.objectFormat());
    ObjectInfo docs = info(handle("docs"));
    assertEquals(ObjectFormat.ASSOCIATION.value(), docs.objectFormat());
    assertEquals(1, docs.associationType());
    assertEquals(handle("docs"), info(handle("docs/c.txt")).parentObject());
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, 0x7777));
  }

  // ---- reading ----

  @Test
  void getObject() throws Exception {
    assertEquals("hello a", new String(get(handle("a.txt")), StandardCharsets.UTF_8));
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT, handle("docs")));
  }

  @Test
  void getPartialObject() throws Exception {
    int a = handle("a.txt");
    LoopbackExchange x = h.tx(OperationCode.GET_PARTIAL_OBJECT, a, 2, 3);
    assertEquals("llo", new String(TestHost.bytes(h.ok(x)), StandardCharsets.UTF_8));
    assertEquals(3, x.param(0));
    LoopbackExchange tail = h.tx(OperationCode.GET_PARTIAL_OBJECT, a, 4, 100);
    assertEquals("o a", new String(TestHost.bytes(h.ok(tail)), StandardCharsets.UTF_8));
    assertEquals(3, tail.param(0));
    expect(ResponseCode.INVALID_PARAMETER, h.tx(OperationCode.GET_PARTIAL_OBJECT, a, 8, 1));
  }

  @Test
  void getPartialObject64() throws Exception {
    int a = handle("a.txt");
    LoopbackExchange x = h.tx(OperationCode.GET_PARTIAL_OBJECT64, a, 6, 0, 10);
    assertEquals("a", new String(TestHost.bytes(h.ok(x)), StandardCharsets.UTF_8));
    assertEquals(1, x.param(0));
    expect(ResponseCode.INVALID_PARAMETER, h.tx(OperationCode.GET_PARTIAL_OBJECT64, a, 0, 1, 10));
  }

  // ---- writing ----

  @Test
  void sendObjectInfoAndSendObject() throws Exception {
    int hd = upload(STORAGE_1, 0xFFFFFFFF, "new.bin", "content!".getBytes(StandardCharsets.UTF_8));
    assertEquals("content!", Files.readString(dir.resolve("new.bin")));
    ObjectInfo info = info(hd);
    assertEquals(8, info.objectCompressedSize());
    assertEquals(DateTimeString.parse("20240131T120000").toInstant(ZoneId.systemDefault()),
        Files.getLastModifiedTime(dir.resolve("new.bin")).toInstant(), "DateModified from the host is applied");
    // Parent 0 also means root; into a folder; the response names storage, parent, handle.
    LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("z.txt", 1), STORAGE_1, handle("docs"));
    expect(ResponseCode.OK, x);
    assertEquals(STORAGE_1, x.param(0));
    assertEquals(handle("docs"), x.param(1));
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {'z'}));
    assertEquals("z", Files.readString(dir.resolve("docs/z.txt")));
    upload(STORAGE_1, 0, "root0.txt", new byte[] {1});
    assertTrue(Files.exists(dir.resolve("root0.txt")));
    // Folders are created by SendObjectInfo alone.
    LoopbackExchange f = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.folderInfo("Music"), STORAGE_1, 0xFFFFFFFF);
    expect(ResponseCode.OK, f);
    assertTrue(Files.isDirectory(dir.resolve("Music")));
    assertEquals("Music", info(f.param(2)).filename());
    // An empty file exists as soon as it is announced.
    int empty = upload(STORAGE_2, 0, "empty.txt", new byte[0]);
    assertEquals(0, Files.size(dir2.resolve("empty.txt")));
    assertEquals(STORAGE_2, info(empty).storageId());
  }

  @Test
  void sendObjectWithUnknownLengthDataPhase() throws Exception {
    // ObjectCompressedSize 0xFFFFFFFF (4 GiB or more, real size unknown) and a data phase of
    // unknown length (container length 0xFFFFFFFF, ended by a short packet).
    LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("stream.bin", 0xFFFFFFFFL), STORAGE_1, 0);
    expect(ResponseCode.OK, x);
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 7);
    expect(ResponseCode.OK, h.request(io.mtpbridge.core.loopback.LoopbackRequest.of(OperationCode.SEND_OBJECT.value(), h.nextTid())
        .data(java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(content)), -1)));
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("stream.bin")));
    assertEquals(content.length, info(x.param(2)).objectCompressedSize());
  }

  @Test
  void sendObjectRefusals() throws Exception {
    expect(ResponseCode.NO_VALID_OBJECT_INFO, h.send(OperationCode.SEND_OBJECT, new byte[] {1}));
    expect(ResponseCode.INVALID_PARAMETER, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("..", 1), STORAGE_1, 0));
    expect(ResponseCode.INVALID_PARAMETER, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("a/b", 1), STORAGE_1, 0));
    expect(ResponseCode.INVALID_PARAMETER, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("a.txt", 1), STORAGE_1, 0));
    expect(ResponseCode.INVALID_PARENT_OBJECT, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("x", 1), STORAGE_1, handle("a.txt")));
    expect(ResponseCode.INVALID_STORAGE_ID, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("x", 1), 0x00090001, 0));
    expect(ResponseCode.INVALID_DATASET, h.send(OperationCode.SEND_OBJECT_INFO, new byte[] {1, 2, 3}, STORAGE_1, 0));
    // Sizes that cannot fit are refused before any data: more than is free, more than there is.
    // Other processes free space on a shared disk between the measurement and the announcement:
    // ask for half of the used space on top of what is free (still less than the total).
    var store = Files.getFileStore(dir);
    long free = store.getUsableSpace();
    expect(ResponseCode.STORE_FULL, announce("big", free + Math.max(1, (store.getTotalSpace() - free) / 2)));
    expect(ResponseCode.OBJECT_TOO_LARGE, announce("huge", store.getTotalSpace() + 1));
    // A short transfer leaves nothing behind.
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("short.bin", 10), STORAGE_1, 0));
    expect(ResponseCode.INCOMPLETE_TRANSFER, h.send(OperationCode.SEND_OBJECT, new byte[] {1, 2, 3}));
    assertFalse(Files.exists(dir.resolve("short.bin")));
    assertOnlyExpectedFiles();
  }

  /** SendObjectPropList with a 64-bit size. */
  private LoopbackExchange announce(String name, long size) throws IOException {
    byte[] list = propList(List.of(new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str(name))));
    return h.send(OperationCode.SEND_OBJECT_PROP_LIST, list, STORAGE_1, 0, ObjectFormat.UNDEFINED.value(), (int) (size >>> 32), (int) size);
  }

  void assertOnlyExpectedFiles() throws IOException {
    try (var s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("a.txt", "b.jpg", "docs"), names);
    }
  }

  @Test
  void deleteObject() throws Exception {
    expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, handle("a.txt"), 0));
    assertFalse(Files.exists(dir.resolve("a.txt")));
    int docs = handle("docs");
    expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, docs, 0));
    assertFalse(Files.exists(dir.resolve("docs")), "folders go recursively");
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_INFO, docs));
  }

  @Test
  void deleteAllObjectsOfAFormatThenEverything() throws Exception {
    expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, 0xFFFFFFFF, ObjectFormat.TEXT.value()));
    assertFalse(Files.exists(dir.resolve("a.txt")));
    assertFalse(Files.exists(dir.resolve("docs/c.txt")));
    assertTrue(Files.exists(dir.resolve("b.jpg")));
    assertTrue(Files.isDirectory(dir.resolve("docs")), "folders are searched, not removed, under a format filter");
    expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, 0xFFFFFFFF, 0));
    try (var s = Files.list(dir)) { assertEquals(0, s.count()); }
  }

  @Test
  void deleteObjectWithAProtectedChildIsPartialDeletion() throws Exception {
    Files.createDirectory(dir.resolve("keep"));
    Files.writeString(dir.resolve("keep/locked.txt"), "x");
    Files.writeString(dir.resolve("keep/free.txt"), "y");
    Files.setPosixFilePermissions(dir.resolve("keep/locked.txt"), EnumSet.of(PosixFilePermission.OWNER_READ));
    int keep = handle("keep");
    expect(ResponseCode.PARTIAL_DELETION, h.tx(OperationCode.DELETE_OBJECT, keep, 0));
    assertTrue(Files.exists(dir.resolve("keep/locked.txt")));
    assertFalse(Files.exists(dir.resolve("keep/free.txt")));
    expect(ResponseCode.OBJECT_WRITE_PROTECTED, h.tx(OperationCode.DELETE_OBJECT, handle("keep/locked.txt"), 0));
  }

  @Test
  void moveObject() throws Exception {
    int a = handle("a.txt");
    int docs = handle("docs");
    expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, a, STORAGE_1, docs));
    assertTrue(Files.exists(dir.resolve("docs/a.txt")));
    assertEquals(docs, info(a).parentObject(), "the object keeps its handle");
    expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, a, STORAGE_1, 0));
    assertTrue(Files.exists(dir.resolve("a.txt")));
    // A folder moves with its content, and handles inside stay valid.
    int c = handle("docs/c.txt");
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.folderInfo("box"), STORAGE_1, 0));
    int box = handle("box");
    expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, docs, STORAGE_1, box));
    assertEquals("inside", new String(get(c), StandardCharsets.UTF_8));
    assertTrue(Files.exists(dir.resolve("box/docs/c.txt")));
    expect(ResponseCode.INVALID_PARENT_OBJECT, h.tx(OperationCode.MOVE_OBJECT, box, STORAGE_1, docs));
    // Between storages: copied and deleted.
    expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, handle("b.jpg"), STORAGE_2, 0));
    assertTrue(Files.exists(dir2.resolve("b.jpg")));
    assertFalse(Files.exists(dir.resolve("b.jpg")));
  }

  @Test
  void copyObject() throws Exception {
    LoopbackExchange x = h.tx(OperationCode.COPY_OBJECT, handle("docs"), STORAGE_2, 0);
    expect(ResponseCode.OK, x);
    assertEquals("inside", Files.readString(dir2.resolve("docs/c.txt")));
    assertEquals("docs", info(x.param(0)).filename());
    assertEquals(STORAGE_2, info(x.param(0)).storageId());
    LoopbackExchange y = h.tx(OperationCode.COPY_OBJECT, handle("a.txt"), STORAGE_1, handle("docs"));
    expect(ResponseCode.OK, y);
    assertEquals("hello a", new String(get(y.param(0)), StandardCharsets.UTF_8));
    assertTrue(Files.exists(dir.resolve("a.txt")));
    expect(ResponseCode.INVALID_PARAMETER, h.tx(OperationCode.COPY_OBJECT, handle("a.txt"), STORAGE_1, 0));
  }

  // ---- device properties ----

  @Test
  void getDevicePropDescAndValue() throws Exception {
    DevicePropDesc d = DevicePropDesc.decode(h.ok(h.tx(OperationCode.GET_DEVICE_PROP_DESC, DevicePropertyCode.DEVICE_FRIENDLY_NAME.value())));
    assertEquals(DataType.STR, d.dataType());
    assertTrue(d.writable());
    assertEquals(PropertyValue.str("Unit"), d.current());
    DevicePropDesc t = DevicePropDesc.decode(h.ok(h.tx(OperationCode.GET_DEVICE_PROP_DESC, DevicePropertyCode.PERCEIVED_DEVICE_TYPE.value())));
    assertEquals(DataType.UINT32, t.dataType());
    assertFalse(t.writable());
    ByteBuf v = h.ok(h.tx(OperationCode.GET_DEVICE_PROP_VALUE, DevicePropertyCode.SYNCHRONIZATION_PARTNER.value()));
    assertEquals(PropertyValue.str(""), PropertyValue.decode(v, DataType.STR));
    expect(ResponseCode.DEVICE_PROP_NOT_SUPPORTED, h.tx(OperationCode.GET_DEVICE_PROP_DESC, 0x5001));
    expect(ResponseCode.DEVICE_PROP_NOT_SUPPORTED, h.tx(OperationCode.GET_DEVICE_PROP_VALUE, 0xD499));
  }

  @Test
  void setAndResetDevicePropValue() throws Exception {
    int name = DevicePropertyCode.DEVICE_FRIENDLY_NAME.value();
    expect(ResponseCode.OK, h.send(OperationCode.SET_DEVICE_PROP_VALUE, TestHost.encode(PropertyValue.str("Kitchen tablet")), name));
    assertEquals(PropertyValue.str("Kitchen tablet"), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_DEVICE_PROP_VALUE, name)), DataType.STR));
    assertEquals("Kitchen tablet", Files.readString(state.resolve("friendly-name")).strip(), "persisted");
    expect(ResponseCode.OK, h.tx(OperationCode.RESET_DEVICE_PROP_VALUE, name));
    assertEquals(PropertyValue.str("Unit"), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_DEVICE_PROP_VALUE, name)), DataType.STR));
    expect(ResponseCode.ACCESS_DENIED, h.send(OperationCode.SET_DEVICE_PROP_VALUE, TestHost.encode(PropertyValue.uint32(3)),
        DevicePropertyCode.PERCEIVED_DEVICE_TYPE.value()));
    expect(ResponseCode.INVALID_DEVICE_PROP_VALUE, h.send(OperationCode.SET_DEVICE_PROP_VALUE, new byte[] {9, 'a', 0}, name));
    expect(ResponseCode.OK, h.tx(OperationCode.RESET_DEVICE_PROP_VALUE, 0xFFFFFFFF));
  }

  @Test
  void friendlyNameSurvivesARestart() throws Exception {
    int name = DevicePropertyCode.DEVICE_FRIENDLY_NAME.value();
    expect(ResponseCode.OK, h.send(OperationCode.SET_DEVICE_PROP_VALUE, TestHost.encode(PropertyValue.str("Persisted")), name));
    MtpResponder again = MtpResponder.builder().install(StandardOperations.SET).friendlyNameFile(state.resolve("friendly-name")).build();
    assertEquals(PropertyValue.str("Persisted"), again.deviceProperties().get(name).value());
  }

  // ---- object properties ----

  @Test
  void getObjectPropsSupported() throws Exception {
    int[] codes = PtpArrays.readUint16Array(h.ok(h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, ObjectFormat.UNDEFINED.value())));
    List<Integer> list = java.util.Arrays.stream(codes).boxed().toList();
    for (ObjectPropertyCode c : List.of(ObjectPropertyCode.STORAGE_ID, ObjectPropertyCode.OBJECT_FORMAT, ObjectPropertyCode.PROTECTION_STATUS,
        ObjectPropertyCode.OBJECT_SIZE, ObjectPropertyCode.OBJECT_FILE_NAME, ObjectPropertyCode.DATE_CREATED, ObjectPropertyCode.DATE_MODIFIED,
        ObjectPropertyCode.PARENT_OBJECT, ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER, ObjectPropertyCode.NAME,
        ObjectPropertyCode.DISPLAY_NAME, ObjectPropertyCode.HIDDEN)) {
      assertTrue(list.contains(c.value()), c.wireName());
    }
    // Formats not advertised still get the file properties (libmtp sends ".bin" as 0xB802).
    int[] firmware = PtpArrays.readUint16Array(h.ok(h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, 0xB802)));
    assertTrue(java.util.Arrays.stream(firmware).anyMatch(c -> c == ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    expect(ResponseCode.OK, h.tx(OperationCode.GET_OBJECT_PROP_DESC, ObjectPropertyCode.OBJECT_SIZE.value(), 0xB802));
    expect(ResponseCode.INVALID_OBJECT_FORMAT_CODE, h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, 0x5001));
  }

  @Test
  void getObjectPropDescForObjectSizeSucceedsForEveryAdvertisedFormat() throws Exception {
    DeviceInfo info = DeviceInfo.decode(h.ok(h.tx(OperationCode.GET_DEVICE_INFO)));
    for (int format : info.playbackFormats()) {
      ObjectPropDesc d = ObjectPropDesc.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_DESC, ObjectPropertyCode.OBJECT_SIZE.value(), format)));
      assertEquals(DataType.UINT64, d.dataType(), "format " + format);
    }
    ObjectPropDesc name = ObjectPropDesc.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_DESC, ObjectPropertyCode.OBJECT_FILE_NAME.value(), 0x3000)));
    assertTrue(name.writable());
    ObjectPropDesc mod = ObjectPropDesc.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_DESC, ObjectPropertyCode.DATE_MODIFIED.value(), 0x3000)));
    assertEquals(io.mtpbridge.core.code.PropertyFormType.DATE_TIME, mod.form().formType());
    expect(ResponseCode.OBJECT_PROP_NOT_SUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_DESC, 0xDC99, 0x3000));
  }

  @Test
  void getObjectPropValue() throws Exception {
    int a = handle("a.txt");
    assertEquals(PropertyValue.uint64(7), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.OBJECT_SIZE.value())), DataType.UINT64));
    assertEquals(PropertyValue.str("a.txt"), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.OBJECT_FILE_NAME.value())), DataType.STR));
    assertEquals(PropertyValue.uint32Bits(STORAGE_1), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.STORAGE_ID.value())), DataType.UINT32));
    assertEquals(PropertyValue.uint32(0), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.PARENT_OBJECT.value())), DataType.UINT32));
    PropertyValue puoid = PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER.value())), DataType.UINT128);
    PropertyValue other = PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, handle("b.jpg"), ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER.value())), DataType.UINT128);
    assertNotEquals(puoid, other);
    expect(ResponseCode.OBJECT_PROP_NOT_SUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, 0xDC99));
  }

  @Test
  void setObjectPropValueRenamesAndSetsDateModified() throws Exception {
    int a = handle("a.txt");
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("renamed.txt")), a,
        ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    assertTrue(Files.exists(dir.resolve("renamed.txt")));
    assertEquals("renamed.txt", info(a).filename(), "same handle after rename");
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("20200102T030405")), a,
        ObjectPropertyCode.DATE_MODIFIED.value()));
    assertEquals(DateTimeString.parse("20200102T030405").toInstant(ZoneId.systemDefault()), Files.getLastModifiedTime(dir.resolve("renamed.txt")).toInstant());
    expect(ResponseCode.INVALID_PARAMETER, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("../x")), a,
        ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    expect(ResponseCode.INVALID_OBJECT_PROP_VALUE, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("yesterday")), a,
        ObjectPropertyCode.DATE_MODIFIED.value()));
    expect(ResponseCode.ACCESS_DENIED, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.uint64(1)), a,
        ObjectPropertyCode.OBJECT_SIZE.value()));
    // Renaming a folder keeps the handles inside it working.
    int c = handle("docs/c.txt");
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("papers")), handle("docs"),
        ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    assertEquals("inside", new String(get(c), StandardCharsets.UTF_8));
  }

  static byte[] propList(List<ObjectPropList.Element> elements) {
    ByteBuf b = Unpooled.buffer();
    new ObjectPropList(elements).encode(b);
    return TestHost.bytes(b);
  }

  Map<Integer, Map<Integer, PropertyValue>> propList(int handle, int format, int prop, int group, int depth) throws IOException {
    ObjectPropList list = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, handle, format, prop, group, depth)));
    Map<Integer, Map<Integer, PropertyValue>> out = new HashMap<>();
    for (ObjectPropList.Element e : list.elements()) out.computeIfAbsent(e.objectHandle(), k -> new HashMap<>()).put(e.propertyCode(), e.value());
    return out;
  }

  @Test
  void getObjectPropList() throws Exception {
    int docs = handle("docs");
    int a = handle("a.txt");
    Map<Integer, Map<Integer, PropertyValue>> one = propList(a, 0, 0xFFFFFFFF, 0, 0);
    assertEquals(1, one.size());
    assertEquals(12, one.get(a).size());
    assertEquals(PropertyValue.str("a.txt"), one.get(a).get(ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    Map<Integer, Map<Integer, PropertyValue>> children = propList(docs, 0, 0xFFFFFFFF, 0, 1);
    assertEquals(2, children.size(), "depth 1 = the folder's children and the folder (as Android answers)");
    Map<Integer, Map<Integer, PropertyValue>> root = propList(0, 0, ObjectPropertyCode.OBJECT_SIZE.value(), 0, 1);
    assertEquals(3, root.size());
    assertEquals(PropertyValue.uint64(3), root.get(handle("b.jpg")).get(ObjectPropertyCode.OBJECT_SIZE.value()));
    assertEquals(4, propList(0xFFFFFFFF, 0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), 0, 0).size(), "handle 0xFFFFFFFF = all");
    assertEquals(4, propList(0xFFFFFFFF, 0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), 0, 0xFFFFFFFF).size());
    assertEquals(3, propList(0xFFFFFFFF, 0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), 0, 1).size(), "0xFFFFFFFF at depth 1 = root");
    assertEquals(4, propList(0, 0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), 0, 0xFFFFFFFF).size());
    Map<Integer, Map<Integer, PropertyValue>> jpeg = propList(0xFFFFFFFF, ObjectFormat.EXIF_JPEG.value(), 0xFFFFFFFF, 0, 0);
    assertEquals(1, jpeg.size());
    Map<Integer, Map<Integer, PropertyValue>> group = propList(a, 0, 0, 1, 0);
    assertEquals(7, group.get(a).size(), "the listing group");
    expect(ResponseCode.GROUP_NOT_SUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_LIST, a, 0, 0, 9, 0));
    expect(ResponseCode.SPECIFICATION_BY_DEPTH_UNSUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_LIST, a, 0, 0xFFFFFFFF, 0, 2));
    expect(ResponseCode.OBJECT_PROP_NOT_SUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_LIST, a, 0, 0xDC99, 0, 0));
  }

  @Test
  void setObjectPropList() throws Exception {
    int a = handle("a.txt");
    int b = handle("b.jpg");
    byte[] list = propList(List.of(
        new ObjectPropList.Element(a, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("a2.txt")),
        new ObjectPropList.Element(b, ObjectPropertyCode.DATE_MODIFIED.value(), PropertyValue.str("20210101T000000"))));
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_LIST, list));
    assertTrue(Files.exists(dir.resolve("a2.txt")));
    assertEquals(DateTimeString.parse("20210101T000000").toInstant(ZoneId.systemDefault()), Files.getLastModifiedTime(dir.resolve("b.jpg")).toInstant());
    byte[] bad = propList(List.of(
        new ObjectPropList.Element(a, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("a3.txt")),
        new ObjectPropList.Element(b, ObjectPropertyCode.OBJECT_SIZE.value(), PropertyValue.uint64(1))));
    LoopbackExchange x = h.send(OperationCode.SET_OBJECT_PROP_LIST, bad);
    expect(ResponseCode.ACCESS_DENIED, x);
    assertEquals(1, x.param(0), "the index of the failing element");
  }

  @Test
  void sendObjectPropListAndSendObject() throws Exception {
    byte[] list = propList(List.of(
        new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("song.mp3")),
        new ObjectPropList.Element(0, ObjectPropertyCode.DATE_MODIFIED.value(), PropertyValue.str("20230505T050505"))));
    LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_PROP_LIST, list, STORAGE_1, handle("docs"), ObjectFormat.MP3.value(), 0, 4);
    expect(ResponseCode.OK, x);
    assertEquals(handle("docs"), x.param(1));
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {9, 8, 7, 6}));
    assertEquals(4, Files.size(dir.resolve("docs/song.mp3")));
    assertEquals(ObjectFormat.MP3.value(), info(x.param(2)).objectFormat());
    assertEquals(DateTimeString.parse("20230505T050505").toInstant(ZoneId.systemDefault()), Files.getLastModifiedTime(dir.resolve("docs/song.mp3")).toInstant());
    byte[] nameless = propList(List.of(new ObjectPropList.Element(0, ObjectPropertyCode.DATE_MODIFIED.value(), PropertyValue.str("20230505T050505"))));
    expect(ResponseCode.INVALID_DATASET, h.send(OperationCode.SEND_OBJECT_PROP_LIST, nameless, STORAGE_1, 0, 0x3000, 0, 1));
    byte[] wrongType = propList(List.of(new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.uint32(1))));
    LoopbackExchange w = h.send(OperationCode.SEND_OBJECT_PROP_LIST, wrongType, STORAGE_1, 0, 0x3000, 0, 1);
    expect(ResponseCode.INVALID_OBJECT_PROP_FORMAT, w);
    assertEquals(0, w.param(3));
    // A folder through SendObjectPropList.
    byte[] folder = propList(List.of(new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("Albums"))));
    expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_PROP_LIST, folder, STORAGE_2, 0, ObjectFormat.ASSOCIATION.value(), 0, 0));
    assertTrue(Files.isDirectory(dir2.resolve("Albums")));
  }

  static byte[] uint32Array(int... values) {
    ByteBuf b = Unpooled.buffer();
    PtpArrays.writeUint32Array(values, b);
    return TestHost.bytes(b);
  }

  @Test
  void getAndSetObjectReferences() throws Exception {
    int a = handle("a.txt");
    int b = handle("b.jpg");
    assertEquals(0, PtpArrays.readUint32Array(h.ok(h.tx(OperationCode.GET_OBJECT_REFERENCES, a))).length);
    ByteBuf refs = Unpooled.buffer();
    PtpArrays.writeUint32Array(new int[] {b}, refs);
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_REFERENCES, TestHost.bytes(refs), a));
    assertArrayEquals(new int[] {b}, PtpArrays.readUint32Array(h.ok(h.tx(OperationCode.GET_OBJECT_REFERENCES, a))));
    ByteBuf bad = Unpooled.buffer();
    PtpArrays.writeUint32Array(new int[] {0x55555}, bad);
    expect(ResponseCode.INVALID_OBJECT_REFERENCE, h.send(OperationCode.SET_OBJECT_REFERENCES, TestHost.bytes(bad), a));
    expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, b, 0));
    assertEquals(0, PtpArrays.readUint32Array(h.ok(h.tx(OperationCode.GET_OBJECT_REFERENCES, a))).length, "deleted objects drop out");
  }

  // ---- Android edit extensions ----

  @Test
  void beginEditSendPartialTruncateEndEdit() throws Exception {
    int a = handle("a.txt");
    expect(ResponseCode.GENERAL_ERROR, h.send(OperationCode.SEND_PARTIAL_OBJECT, new byte[] {'X'}, a, 0, 0, 1));
    expect(ResponseCode.OK, h.tx(OperationCode.BEGIN_EDIT_OBJECT, a));
    LoopbackExchange w = h.send(OperationCode.SEND_PARTIAL_OBJECT, "HE".getBytes(StandardCharsets.UTF_8), a, 0, 0, 2);
    expect(ResponseCode.OK, w);
    assertEquals(2, w.param(0));
    expect(ResponseCode.OK, h.send(OperationCode.SEND_PARTIAL_OBJECT, "!!".getBytes(StandardCharsets.UTF_8), a, 7, 0, 2));
    expect(ResponseCode.OK, h.tx(OperationCode.TRUNCATE_OBJECT, a, 8, 0));
    expect(ResponseCode.OK, h.tx(OperationCode.END_EDIT_OBJECT, a));
    assertEquals("HEllo a!", Files.readString(dir.resolve("a.txt")));
    assertEquals(8, info(a).objectCompressedSize());
    expect(ResponseCode.GENERAL_ERROR, h.tx(OperationCode.END_EDIT_OBJECT, a));
    expect(ResponseCode.GENERAL_ERROR, h.tx(OperationCode.TRUNCATE_OBJECT, a, 0, 0));
  }

  @Test
  void objectsOver4GiBReportSizeThroughObjectSize() throws Exception {
    long size = (4L << 30) + 10;
    try (var raf = new java.io.RandomAccessFile(dir.resolve("huge.img").toFile(), "rw")) {
      raf.setLength(size); // sparse
      raf.seek(size - 2);
      raf.write(new byte[] {'o', 'k'});
    }
    int big = handle("huge.img");
    assertEquals(ObjectInfo.SIZE_4GIB_OR_MORE, info(big).objectCompressedSize());
    assertEquals(PropertyValue.uint64(size), PropertyValue.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, big, ObjectPropertyCode.OBJECT_SIZE.value())), DataType.UINT64));
    long off = size - 2;
    LoopbackExchange x = h.tx(OperationCode.GET_PARTIAL_OBJECT64, big, (int) off, (int) (off >>> 32), 100);
    assertEquals("ok", new String(TestHost.bytes(h.ok(x)), StandardCharsets.UTF_8));
  }

  @Test
  void readOnlyStorageRefusesEveryWriteThroughTheResponder(@TempDir Path ro) throws Exception {
    Files.writeString(ro.resolve("manual.txt"), "read me");
    var slot = h.responder.addStorage(new FileSystemStorage("Manuals", ro, true));
    int id = slot.id();
    StorageInfo si = StorageInfo.decode(h.ok(h.tx(OperationCode.GET_STORAGE_INFO, id)));
    assertEquals(1, si.accessCapability(), "ReadOnlyWithoutObjectDeletion");
    int manual = h.handles(id, 0, 0xFFFFFFFF)[0];
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("x.txt", 1), id, 0));
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.folderInfo("d"), id, 0));
    expect(ResponseCode.STORE_READ_ONLY, h.tx(OperationCode.DELETE_OBJECT, manual, 0));
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("y.txt")), manual,
        ObjectPropertyCode.OBJECT_FILE_NAME.value()));
    expect(ResponseCode.STORE_READ_ONLY, h.tx(OperationCode.MOVE_OBJECT, manual, STORAGE_1, 0));
    expect(ResponseCode.STORE_READ_ONLY, h.tx(OperationCode.COPY_OBJECT, handle("a.txt"), id, 0));
    expect(ResponseCode.STORE_READ_ONLY, h.tx(OperationCode.BEGIN_EDIT_OBJECT, manual));
    // The other edit operations say why too (not GeneralError as for a writable object with no edit open).
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SEND_PARTIAL_OBJECT, new byte[] {'X'}, manual, 0, 0, 1));
    expect(ResponseCode.STORE_READ_ONLY, h.tx(OperationCode.TRUNCATE_OBJECT, manual, 0, 0));
    expect(ResponseCode.STORE_READ_ONLY, h.tx(OperationCode.END_EDIT_OBJECT, manual));
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("20200101T000000")),
        manual, ObjectPropertyCode.DATE_MODIFIED.value()));
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SEND_OBJECT_PROP_LIST,
        propList(List.of(new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("n.txt")))),
        id, 0, ObjectFormat.UNDEFINED.value(), 0, 1));
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SET_OBJECT_PROP_LIST,
        propList(List.of(new ObjectPropList.Element(manual, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("n.txt"))))));
    // A playlist in a read-only storage cannot be changed either (the references live outside
    // the storage, but the host asked to change an object of it).
    expect(ResponseCode.STORE_READ_ONLY, h.send(OperationCode.SET_OBJECT_REFERENCES, uint32Array(handle("a.txt")), manual));
    assertEquals(0, h.ok(h.tx(OperationCode.GET_OBJECT_REFERENCES, manual)).readIntLE());
    assertEquals("read me", Files.readString(ro.resolve("manual.txt")));
    try (var s = Files.list(ro)) { assertEquals(1, s.count()); }
    // Reading works, and copying out of it.
    assertEquals("read me", new String(get(manual), StandardCharsets.UTF_8));
    expect(ResponseCode.OK, h.tx(OperationCode.COPY_OBJECT, manual, STORAGE_1, 0));
    assertEquals("read me", Files.readString(dir.resolve("manual.txt")));
  }

  @Test
  void fileTimesAreReportedAsDeviceLocalDateTime() throws Exception {
    Files.setLastModifiedTime(dir.resolve("a.txt"), FileTime.from(DateTimeString.parse("20190807T060504").toInstant(ZoneId.systemDefault())));
    assertEquals("20190807T060504", info(handle("a.txt")).dateModified());
  }

  @Test
  void aFileCopiedWithItsDateKeptShowsThatDateAsCreatedToo() throws Exception {
    // a.txt: born now (the copy), modified in 2019 (the date the host kept). b.jpg: modified after
    // it was made (an hour from now).
    Files.setLastModifiedTime(dir.resolve("a.txt"), FileTime.from(DateTimeString.parse("20190807T060504").toInstant(ZoneId.systemDefault())));
    Files.setLastModifiedTime(dir.resolve("b.jpg"), FileTime.from(Instant.now().plusSeconds(3600)));
    // The host sees 2019 for both dates of a.txt, in ObjectInfo and in the DateCreated property, as
    // Android shows it, not the copy's date.
    int a = handle("a.txt");
    assertEquals("20190807T060504", info(a).dateCreated());
    assertEquals(PropertyValue.str("20190807T060504"), PropertyValue.decode(
        h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.DATE_CREATED.value())), DataType.STR));
    // b.jpg keeps its own creation time, not the later change (where the file system keeps no birth
    // time the JDK gives the modification time for it).
    FileTime born = Files.readAttributes(dir.resolve("b.jpg"), BasicFileAttributes.class).creationTime();
    assertEquals(DeviceTime.format(born.toInstant()), info(handle("b.jpg")).dateCreated());
  }
}
