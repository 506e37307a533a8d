package io.mtpbridge.core.storage.fs;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names and sizes the file system under a storage cannot hold are refused when the host announces
 * the object — InvalidParameter or ObjectTooLarge before any data — not after the transfer.
 */
class FileSystemLimitsTest {
  @TempDir Path dir;

  private TestHost host(FileSystemKind kind) throws Exception {
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new FileSystemStorage("Card", dir, false, StorageType.REMOVABLE_RAM, kind))
        .build();
    TestHost h = new TestHost(r);
    h.open();
    return h;
  }

  private static List<String> files(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** SendObjectInfo; the data phase is never reached when it is refused. */
  private static LoopbackExchange announce(TestHost h, String name, long size) throws Exception {
    return h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo(name, size), Fixtures.STORAGE_1, 0);
  }

  private static byte[] propList(String name, long size) {
    ByteBuf b = Unpooled.buffer();
    new ObjectPropList(List.of(new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str(name))))
        .encode(b);
    return TestHost.bytes(b);
  }

  @Test
  void aNameTooLongInBytesIsRefusedBeforeAnyData() throws Exception {
    String name = "é".repeat(130) + ".txt"; // 134 UTF-16 units, a valid MTP name; 264 bytes in UTF-8
    try (TestHost h = host(FileSystemKind.POSIX)) {
      expect(ResponseCode.INVALID_PARAMETER, announce(h, name, 10));
      LoopbackExchange x = h.request(LoopbackRequest.of(OperationCode.SEND_OBJECT_PROP_LIST.value(), h.nextTid(),
          Fixtures.STORAGE_1, 0, ObjectFormat.TEXT.value(), 0, 10).data(propList(name, 10)));
      expect(ResponseCode.INVALID_PARAMETER, x);
      expect(ResponseCode.INVALID_PARAMETER, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.folderInfo(name), Fixtures.STORAGE_1, 0));
      expect(ResponseCode.OK, announce(h, "é".repeat(125) + ".txt", 1)); // 254 bytes fit
      assertEquals(List.of(), files(dir).stream().filter(f -> !f.startsWith(".mtpbridge-upload-")).toList());
      h.assertClean();
    }
  }

  @Test
  void namesAFatFileSystemCannotHoldAreRefused() throws Exception {
    try (TestHost h = host(FileSystemKind.FAT)) {
      for (String bad : List.of("a:b.txt", "what?.txt", "star*.txt", "pipe|.txt", "quote\".txt", "lt<.txt", "gt>.txt", "tab\t.txt",
          "trailing-dot.", "trailing space ")) {
        expect(ResponseCode.INVALID_PARAMETER, announce(h, bad, 5));
      }
      expect(ResponseCode.INVALID_PARAMETER, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.folderInfo("a:b"), Fixtures.STORAGE_1, 0));
      expect(ResponseCode.OK, announce(h, "fine name (1).txt", 0));
      assertEquals(List.of("fine name (1).txt"), files(dir));
      h.assertClean();
    }
  }

  @Test
  void filesOf4GiBOrMoreAreRefusedUpFrontOnFat() throws Exception {
    try (TestHost h = host(FileSystemKind.FAT)) {
      // SendObjectPropList carries the 64-bit size
      long size = 5L << 30;
      LoopbackExchange x = h.request(LoopbackRequest.of(OperationCode.SEND_OBJECT_PROP_LIST.value(), h.nextTid(),
          Fixtures.STORAGE_1, 0, ObjectFormat.UNDEFINED.value(), (int) (size >>> 32), (int) size).data(propList("big.bin", size)));
      expect(ResponseCode.OBJECT_TOO_LARGE, x);
      // SendObjectInfo with ObjectCompressedSize 0xFFFFFFFF: 4 GiB or more
      expect(ResponseCode.OBJECT_TOO_LARGE, announce(h, "big.bin", 0xFFFFFFFFL));
      assertEquals(List.of(), files(dir));
      h.assertClean();
    }
    // exFAT holds them (up to the free space)
    FileSystemStorage exfat = new FileSystemStorage("X", dir, false, StorageType.REMOVABLE_RAM, FileSystemKind.EXFAT);
    exfat.beginUpload(ObjectPath.ROOT, new NewObject("big.bin", false, -1, 0x3000, null, null)).abort();
  }

  @Test
  void renamesAndFoldersFollowTheSameRules() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a");
    FileSystemStorage fat = new FileSystemStorage("F", dir, false, StorageType.REMOVABLE_RAM, FileSystemKind.FAT);
    StorageError e = assertThrows(StorageException.class, () -> fat.rename(ObjectPath.of("a.txt"), "a:b.txt")).error();
    assertEquals(StorageError.INVALID_NAME, e);
    e = assertThrows(StorageException.class, () -> fat.createFolder(ObjectPath.ROOT, new NewObject("x?", true, 0, 0x3001, null, null))).error();
    assertEquals(StorageError.INVALID_NAME, e);
    assertTrue(Files.exists(dir.resolve("a.txt")));
    assertFalse(Files.exists(dir.resolve("a:b.txt")));
  }

  @Test
  void theKindComesFromTheMountType() {
    assertEquals(FileSystemKind.FAT, FileSystemKind.of("vfat"));
    assertEquals(FileSystemKind.FAT, FileSystemKind.of("msdos"));
    assertEquals(FileSystemKind.EXFAT, FileSystemKind.of("exfat"));
    assertEquals(FileSystemKind.POSIX, FileSystemKind.of("ext4"));
    assertEquals(FileSystemKind.POSIX, FileSystemKind.of("tmpfs"));
    assertEquals(DataType.UINT64, ObjectPropertyCode.OBJECT_SIZE.dataType());
  }
}
