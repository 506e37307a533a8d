package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.Fixtures.STORAGE_1;
import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropDesc;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.TestHost;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads of formats the device does not advertise, the way libmtp 1.1.20 sends them
 * ({@code mtp-sendfile x.bin}): it maps the extension to a format (.bin → 0xB802 Undefined
 * Firmware), asks GetObjectPropsSupported for that format, GetObjectPropDesc for each property,
 * puts the writable ones it knows (ObjectFileName, ProtectionStatus, NonConsumable, Name,
 * DateModified) into a SendObjectPropList, then SendObject. A refusal of the format made it send a
 * list without ObjectFileName, and the upload failed (vm-e2e FINDINGS F2).
 */
class UnlistedFormatUploadTest {
  private static final int UNDEFINED_FIRMWARE = 0xB802;

  @TempDir Path dir;

  /** The property list libmtp's send_file_object_info builds from what the device answers. */
  private static List<ObjectPropList.Element> libmtpPropertyList(TestHost h, int format, String filename) throws Exception {
    int[] props = PtpArrays.readUint16Array(h.ok(h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, format)));
    List<ObjectPropList.Element> list = new ArrayList<>();
    for (int prop : props) {
      LoopbackExchange x = h.tx(OperationCode.GET_OBJECT_PROP_DESC, prop, format);
      expect(ResponseCode.OK, x); // libmtp only logs a failure here, but every listed property must be described
      ObjectPropDesc desc = ObjectPropDesc.decode(Unpooled.wrappedBuffer(x.data()));
      if (!desc.writable()) continue;
      if (prop == ObjectPropertyCode.OBJECT_FILE_NAME.value() || prop == ObjectPropertyCode.NAME.value()) {
        list.add(new ObjectPropList.Element(0, prop, PropertyValue.str(filename)));
      } else if (prop == ObjectPropertyCode.PROTECTION_STATUS.value()) {
        list.add(new ObjectPropList.Element(0, prop, PropertyValue.uint16(0)));
      } else if (prop == ObjectPropertyCode.NON_CONSUMABLE.value()) {
        list.add(new ObjectPropList.Element(0, prop, PropertyValue.uint8(0)));
      } else if (prop == ObjectPropertyCode.DATE_MODIFIED.value()) {
        list.add(new ObjectPropList.Element(0, prop, PropertyValue.str("20261126T081530.0"))); // get_iso8601_stamp()
      }
    }
    return list;
  }

  private static byte[] encode(List<ObjectPropList.Element> elements) {
    ByteBuf b = Unpooled.buffer();
    new ObjectPropList(elements).encode(b);
    return TestHost.bytes(b);
  }

  @Test
  void libmtpSendsABinFileAsUndefinedFirmware() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      DeviceInfo info = DeviceInfo.decode(h.ok(h.tx(OperationCode.GET_DEVICE_INFO)));
      assertFalse(Arrays.stream(info.playbackFormats()).anyMatch(f -> f == UNDEFINED_FIRMWARE), "the premise: 0xB802 is not advertised");
      assertTrue(Arrays.stream(info.operationsSupported()).anyMatch(o -> o == OperationCode.SEND_OBJECT_PROP_LIST.value()));

      List<ObjectPropList.Element> list = libmtpPropertyList(h, UNDEFINED_FIRMWARE, "firmware.bin");
      assertTrue(list.stream().anyMatch(e -> e.propertyCode() == ObjectPropertyCode.OBJECT_FILE_NAME.value()),
          "libmtp names the object only if ObjectFileName is listed and writable: " + list);

      byte[] content = new byte[1000];
      for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 7);
      LoopbackExchange announced = h.send(OperationCode.SEND_OBJECT_PROP_LIST, encode(list),
          STORAGE_1, 0xFFFFFFFF, UNDEFINED_FIRMWARE, 0, content.length);
      expect(ResponseCode.OK, announced);
      assertEquals(STORAGE_1, announced.param(0));
      int handle = announced.param(2);
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, content));
      assertArrayEquals(content, Files.readAllBytes(dir.resolve("firmware.bin")));

      // LIBMTP_Get_Filemetadata afterwards, then a later session renames it (set_object_filename
      // asks GetObjectPropDesc(ObjectFileName, 0xB802) first).
      ObjectInfo stored = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle)));
      assertEquals("firmware.bin", stored.filename());
      assertEquals(content.length, stored.objectCompressedSize());
      ObjectPropDesc nameDesc = ObjectPropDesc.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_DESC,
          ObjectPropertyCode.OBJECT_FILE_NAME.value(), UNDEFINED_FIRMWARE)));
      assertTrue(nameDesc.writable());
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_LIST, encode(List.of(
          new ObjectPropList.Element(handle, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str("renamed.bin"))))));
      assertTrue(Files.exists(dir.resolve("renamed.bin")));
      h.assertClean();
    }
  }

  @Test
  void anUnlistedFormatIsDescribedAsAGenericFile() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int[] undefined = PtpArrays.readUint16Array(h.ok(h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, ObjectFormat.UNDEFINED.value())));
      for (int format : new int[] {UNDEFINED_FIRMWARE, 0xB999, 0x3FFF, 0xBA05}) {
        int[] props = PtpArrays.readUint16Array(h.ok(h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, format)));
        assertArrayEquals(undefined, props, String.format("format 0x%04X", format));
        ObjectPropDesc size = ObjectPropDesc.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_DESC, ObjectPropertyCode.OBJECT_SIZE.value(), format)));
        assertEquals(io.mtpbridge.core.code.DataType.UINT64, size.dataType());
      }
      // Values that are no object format code stay refused, by both operations.
      for (int notAFormat : new int[] {0, 0x1000, 0x5001, 0x8000, 0xFFFF, 0x0001_3000, 0xFFFFFFFF}) {
        expect(ResponseCode.INVALID_OBJECT_FORMAT_CODE, h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, notAFormat));
        expect(ResponseCode.INVALID_OBJECT_FORMAT_CODE, h.tx(OperationCode.GET_OBJECT_PROP_DESC, ObjectPropertyCode.OBJECT_SIZE.value(), notAFormat));
      }
      h.assertClean();
    }
  }

  @Test
  void sendObjectInfoAcceptsAnUnlistedFormatToo() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.objectInfo("archive.zip", 0xB999, 4, 0), STORAGE_1, 0xFFFFFFFF);
      expect(ResponseCode.OK, x);
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {'P', 'K', 3, 4}));
      assertArrayEquals(new byte[] {'P', 'K', 3, 4}, Files.readAllBytes(dir.resolve("archive.zip")));
      h.assertClean();
    }
  }
}
