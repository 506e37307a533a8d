package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

class DeviceInfoTest {
  static DeviceInfo mtpDevice() {
    return new DeviceInfo(DeviceInfo.MTP_STANDARD_VERSION, DeviceInfo.MICROSOFT_VENDOR_EXTENSION_ID,
        DeviceInfo.MTP_VENDOR_EXTENSION_VERSION, "microsoft.com: 1.0;", 0,
        new int[] {OperationCode.GET_DEVICE_INFO.value(), OperationCode.OPEN_SESSION.value()},
        new int[] {EventCode.OBJECT_ADDED.value()},
        new int[] {0xD402},
        new int[0],
        new int[] {ObjectFormat.UNDEFINED.value(), ObjectFormat.ASSOCIATION.value()},
        "MTP Bridge", "Bridge", "0.1", "0001");
  }

  @Test
  void encodesTheHeaderLibmtpChecks() {
    byte[] b = Buffers.bytes(mtpDevice()::encode);
    // StandardVersion 100, VendorExtensionID 6, VendorExtensionVersion 100
    assertEquals("6400" + "06000000" + "6400", ByteBufUtil.hexDump(b, 0, 8));
    // VendorExtensionDesc: 19 chars + NUL = 20 units, ends with ';' then NUL
    assertEquals(20, b[8]);
    assertEquals(';', b[8 + 1 + 2 * 18]);
    assertEquals(0, b[8 + 1 + 2 * 19]);
    // FunctionalMode then OperationsSupported: count 2, 0x1001, 0x1002
    int ops = 8 + 1 + 40 + 2;
    assertEquals("02000000" + "0110" + "0210", ByteBufUtil.hexDump(b, ops, 8));
    assertEquals(b.length, mtpDevice().encodedLength());
  }

  @Test
  void decodesWhatItEncodes() throws Exception {
    DeviceInfo d = mtpDevice();
    DeviceInfo back = DeviceInfo.decode(Buffers.encode(d::encode));
    assertEquals(d, back);
    assertEquals("microsoft.com: 1.0;", back.vendorExtensionDesc());
    assertArrayEquals(new int[] {0x1001, 0x1002}, back.operationsSupported());
  }

  @Test
  void arraysAreCopiedSoTheRecordStaysImmutable() {
    int[] ops = {0x1001};
    DeviceInfo d = new DeviceInfo(100, 6, 100, "", 0, ops, new int[0], new int[0], new int[0], new int[0], "", "", "", "");
    ops[0] = 0x9999;
    d.operationsSupported()[0] = 0x8888;
    assertArrayEquals(new int[] {0x1001}, d.operationsSupported());
  }

  @Test
  void truncatedDeviceInfoIsInvalidDataset() {
    byte[] b = Buffers.bytes(mtpDevice()::encode);
    for (int cut = 0; cut < b.length; cut++) {
      ByteBuf in = io.netty.buffer.Unpooled.wrappedBuffer(b, 0, cut);
      MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> DeviceInfo.decode(in), "cut at " + cut);
      assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
    }
  }

  @Test
  void hugeArrayCountIsRejectedBeforeAllocation() {
    // header, empty desc, mode, then an operations count of 0xFFFFFFFF with 4 bytes behind it
    ByteBuf in = Buffers.hex("6400 06000000 6400 00 0000 FFFFFFFF 01100210");
    MalformedDatasetException e = assertThrows(MalformedDatasetException.class, () -> DeviceInfo.decode(in));
    assertEquals(ResponseCode.INVALID_DATASET, e.responseCode());
  }

  @Test
  void outOfRangeCodesAreRejectedOnConstruction() {
    assertThrows(IllegalArgumentException.class,
        () -> new DeviceInfo(100, 6, 100, "", 0, new int[] {0x10000}, new int[0], new int[0], new int[0], new int[0], "", "", "", ""));
  }
}
