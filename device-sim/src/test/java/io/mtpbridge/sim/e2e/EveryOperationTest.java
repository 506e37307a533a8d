package io.mtpbridge.sim.e2e;

import static io.mtpbridge.sim.e2e.Objects.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.StorageInfo;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.MtpResponseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation the core responder implements, driven by the host-tools initiator through the
 * virtual USB controller (real packets, real framing) against file-system storages on temp dirs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EveryOperationTest {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;
  @TempDir Path tmp;
  private SimFixture f;
  private MtpInitiator host;
  private int internal;
  private int photos;

  @BeforeEach
  void connect() throws Exception {
    f = new SimFixture(tmp);
    host = f.host;
    int[] ids = host.getStorageIds();
    internal = ids[0];
    photos = ids[1];
  }

  @AfterEach
  void disconnect() {
    f.close();
  }

  @Test
  void deviceInfoAdvertisesTheOperationsExercisedHere() throws Exception {
    DeviceInfo info = host.deviceInfo();
    assertEquals("MTP Bridge", info.manufacturer());
    assertEquals("SIM-TEST-1", info.serialNumber());
    assertEquals("microsoft.com: 1.0;", info.vendorExtensionDesc());
    int[] ops = info.operationsSupported();
    for (OperationCode op : List.of(OperationCode.GET_DEVICE_INFO, OperationCode.OPEN_SESSION, OperationCode.CLOSE_SESSION,
        OperationCode.GET_STORAGE_IDS, OperationCode.GET_STORAGE_INFO, OperationCode.GET_NUM_OBJECTS, OperationCode.GET_OBJECT_HANDLES,
        OperationCode.GET_OBJECT_INFO, OperationCode.GET_OBJECT, OperationCode.DELETE_OBJECT, OperationCode.SEND_OBJECT_INFO,
        OperationCode.SEND_OBJECT, OperationCode.GET_PARTIAL_OBJECT, OperationCode.MOVE_OBJECT, OperationCode.COPY_OBJECT,
        OperationCode.GET_DEVICE_PROP_DESC, OperationCode.GET_DEVICE_PROP_VALUE, OperationCode.SET_DEVICE_PROP_VALUE,
        OperationCode.RESET_DEVICE_PROP_VALUE, OperationCode.GET_OBJECT_PROPS_SUPPORTED, OperationCode.GET_OBJECT_PROP_DESC,
        OperationCode.GET_OBJECT_PROP_VALUE, OperationCode.SET_OBJECT_PROP_VALUE, OperationCode.GET_OBJECT_PROP_LIST,
        OperationCode.SET_OBJECT_PROP_LIST, OperationCode.SEND_OBJECT_PROP_LIST, OperationCode.GET_OBJECT_REFERENCES,
        OperationCode.SET_OBJECT_REFERENCES, OperationCode.GET_PARTIAL_OBJECT64, OperationCode.SEND_PARTIAL_OBJECT,
        OperationCode.TRUNCATE_OBJECT, OperationCode.BEGIN_EDIT_OBJECT, OperationCode.END_EDIT_OBJECT)) {
      assertTrue(Arrays.stream(ops).anyMatch(o -> o == op.value()), op + " advertised");
    }
  }

  @Test
  void sessionsOpenCloseAndRefuseASecondOpen() throws Exception {
    MtpResponseException again = assertThrows(MtpResponseException.class, () -> host.openSession(2));
    assertEquals(0x201E, again.responseCode(), "SessionAlreadyOpen");
    host.closeSession();
    MtpResponseException closed = assertThrows(MtpResponseException.class, () -> host.getStorageIds());
    assertEquals(0x2003, closed.responseCode(), "SessionNotOpen");
    host.openSession(7);
    assertEquals(2, host.getStorageIds().length);
  }

  @Test
  void storageInfoDescribesBothStorages() throws Exception {
    StorageInfo a = host.storageInfo(internal);
    StorageInfo b = host.storageInfo(photos);
    assertEquals("Internal", a.storageDescription());
    assertEquals("Photos", b.storageDescription());
    assertTrue(a.maxCapacity() > 0);
    assertNotEquals(0, internal & 0xFFFF, "StorageIDs have non-zero low 16 bits");
  }

  @Test
  void uploadListDownloadAndCount() throws Exception {
    byte[] data = random(100_000, 1);
    int h = upload(host, internal, ROOT, "a.bin", data);
    assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("a.bin")));
    assertArrayEquals(new int[] {h}, host.getObjectHandles(internal, 0, ROOT));
    assertEquals(1, host.getNumObjects(internal, 0, ROOT));
    ObjectInfo info = host.objectInfo(h);
    assertEquals("a.bin", info.filename());
    assertEquals(100_000, info.objectCompressedSize());
    assertEquals(0, info.parentObject(), "root objects report parent 0");
    assertArrayEquals(data, download(host, h));
  }

  @Test
  void sizesAroundPacketBoundariesRoundTrip() throws Exception {
    for (int n : new int[] {0, 1, 499, 500, 501, 511, 512, 513, 1012, 1024, 65536, 262_144 - 12, 262_144, 1_000_000}) {
      byte[] data = random(n, n);
      int h = upload(host, internal, ROOT, "s" + n, data);
      assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("s" + n)), "upload of " + n);
      assertArrayEquals(data, download(host, h), "download of " + n);
    }
  }

  @Test
  void foldersDeleteRecursively() throws Exception {
    int dir = mkdir(host, internal, ROOT, "docs");
    int sub = mkdir(host, internal, dir, "sub");
    upload(host, internal, sub, "x.txt", "x".getBytes());
    assertTrue(Files.isRegularFile(f.rw.resolve("docs/sub/x.txt")));
    assertEquals(1, host.getObjectHandles(internal, 0, dir).length);
    host.deleteObject(dir);
    assertFalse(Files.exists(f.rw.resolve("docs")));
    MtpResponseException gone = assertThrows(MtpResponseException.class, () -> host.getObjectInfo(dir));
    assertEquals(0x2009, gone.responseCode());
  }

  @Test
  void partialReads() throws Exception {
    byte[] data = random(10_000, 2);
    int h = upload(host, internal, ROOT, "p.bin", data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(1000, host.getPartialObject(h, 500, 1000, Channels.newChannel(out)));
    assertArrayEquals(Arrays.copyOfRange(data, 500, 1500), out.toByteArray());
    out.reset();
    assertEquals(100, host.getPartialObject64(h, 9900, 5000, Channels.newChannel(out)));
    assertArrayEquals(Arrays.copyOfRange(data, 9900, 10_000), out.toByteArray());
  }

  @Test
  void moveAndCopy() throws Exception {
    int dir = mkdir(host, internal, ROOT, "dest");
    int h = upload(host, internal, ROOT, "m.txt", "move me".getBytes());
    host.moveObject(h, internal, dir);
    assertTrue(Files.exists(f.rw.resolve("dest/m.txt")));
    assertFalse(Files.exists(f.rw.resolve("m.txt")));
    int copy = host.copyObject(h, internal, ROOT);
    assertNotEquals(h, copy);
    assertEquals("move me", Files.readString(f.rw.resolve("m.txt")));
    assertArrayEquals("move me".getBytes(), download(host, copy));
  }

  @Test
  void deviceProperties() throws Exception {
    byte[] desc = host.getDevicePropDesc(0xD402);
    assertEquals(0xD402, ByteBuffer.wrap(desc).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFF);
    assertEquals("Simulated device", MtpInitiator.decodePtpString(host.getDevicePropValue(0xD402)));
    host.setDevicePropValue(0xD402, MtpInitiator.ptpString("Kitchen tablet"));
    assertEquals("Kitchen tablet", MtpInitiator.decodePtpString(host.getDevicePropValue(0xD402)));
    host.resetDevicePropValue(0xD402);
    assertEquals("Simulated device", MtpInitiator.decodePtpString(host.getDevicePropValue(0xD402)));
  }

  @Test
  void objectProperties() throws Exception {
    int h = upload(host, internal, ROOT, "old.txt", "hello".getBytes());
    int[] supported = host.getObjectPropsSupported(UNDEFINED);
    assertTrue(Arrays.stream(supported).anyMatch(p -> p == 0xDC07));
    byte[] sizeDesc = host.getObjectPropDesc(0xDC04, UNDEFINED);
    assertEquals(0x0008, ByteBuffer.wrap(sizeDesc).order(ByteOrder.LITTLE_ENDIAN).getShort(2), "ObjectSize is UINT64");
    byte[] size = host.getObjectPropValue(h, 0xDC04);
    assertEquals(5L, ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).getLong());
    host.setObjectPropValue(h, 0xDC07, MtpInitiator.ptpString("new.txt"));
    assertTrue(Files.exists(f.rw.resolve("new.txt")));
    assertFalse(Files.exists(f.rw.resolve("old.txt")));
    ObjectPropList all = host.objectPropList(h, 0, 0xFFFFFFFF, 0, 0);
    assertTrue(all.elements().stream().anyMatch(e -> e.propertyCode() == 0xDC07 && e.value().equals(PropertyValue.str("new.txt"))), all.toString());
    ObjectPropList rename = new ObjectPropList(List.of(new ObjectPropList.Element(h, 0xDC07, PropertyValue.str("third.txt"))));
    assertEquals(0, host.setObjectPropList(encode(rename)));
    assertTrue(Files.exists(f.rw.resolve("third.txt")));
  }

  @Test
  void sendObjectPropListThenSendObject() throws Exception {
    byte[] data = random(3000, 3);
    ObjectPropList props = new ObjectPropList(List.of(new ObjectPropList.Element(0, 0xDC07, PropertyValue.str("viaprops.bin"))));
    int[] r = host.sendObjectPropList(internal, ROOT, UNDEFINED, data.length, encode(props));
    host.sendObject(Channels.newChannel(new ByteArrayInputStream(data)), data.length);
    assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("viaprops.bin")));
    assertArrayEquals(data, download(host, r[2]));
  }

  @Test
  void references() throws Exception {
    int a = upload(host, internal, ROOT, "list.pla", new byte[0]);
    int b = upload(host, internal, ROOT, "song.mp3", new byte[10]);
    assertEquals(0, host.getObjectReferences(a).length);
    host.setObjectReferences(a, new int[] {b});
    assertArrayEquals(new int[] {b}, host.getObjectReferences(a));
  }

  @Test
  void androidEditExtensions() throws Exception {
    int h = upload(host, internal, ROOT, "edit.bin", "0123456789".getBytes());
    host.beginEditObject(h);
    host.sendPartialObject(h, 2, Channels.newChannel(new ByteArrayInputStream("ab".getBytes())), 2);
    host.truncateObject(h, 6);
    host.endEditObject(h);
    assertEquals("01ab45", Files.readString(f.rw.resolve("edit.bin")));
  }

  @Test
  void readOnlyStorageRefusesWrites() throws Exception {
    MtpResponseException e = assertThrows(MtpResponseException.class,
        () -> host.sendObjectInfo(photos, ROOT, fileInfo(photos, ROOT, "x.txt", 1)));
    assertEquals(0x200E, e.responseCode(), "StoreReadOnly");
    assertEquals(0, Files.list(f.ro).count());
  }

  @Test
  void deviceSideChangesArriveAsEvents() throws Exception {
    host.getObjectHandles(internal, 0, ROOT); // folders are watched once the host has listed them
    Files.writeString(f.rw.resolve("made-on-device.txt"), "hi");
    Optional<Event> e = Optional.empty();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      e = host.pollEvent(500);
      if (e.isPresent() && e.get().code() == 0x4002) break;
    }
    assertTrue(e.isPresent() && e.get().code() == 0x4002, "ObjectAdded event, got " + e);
    ObjectInfo info = host.objectInfo(e.get().param(0));
    assertEquals("made-on-device.txt", info.filename());
  }

  @Test
  void escapesAndBadNamesAreRefused() throws Exception {
    for (String bad : new String[] {"..", "a/b", "."}) {
      assertThrows(MtpResponseException.class, () -> host.sendObjectInfo(internal, ROOT, fileInfo(internal, ROOT, bad, 1)), bad);
    }
    assertEquals(List.of(), f.filesOnDevice());
  }

  private static byte[] encode(ObjectPropList list) {
    ByteBuf b = Unpooled.buffer(list.encodedLength());
    list.encode(b);
    return ByteBufUtil.getBytes(b);
  }
}
