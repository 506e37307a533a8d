package io.mtpbridge.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mtpbridge.core.code.AccessCapability;
import io.mtpbridge.core.code.FilesystemType;
import io.mtpbridge.core.code.StorageType;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

class StorageInfoTest {
  @Test
  void knownBytes() throws Exception {
    StorageInfo s = new StorageInfo(StorageType.FIXED_RAM.value(), FilesystemType.GENERIC_HIERARCHICAL.value(),
        AccessCapability.READ_WRITE.value(), 0x1_0000_0000L, 0x8000L, StorageInfo.FREE_OBJECTS_NOT_APPLICABLE, "Internal", "");
    byte[] b = Buffers.bytes(s::encode);
    assertEquals("0300" + "0200" + "0000" + "0000000001000000" + "0080000000000000" + "ffffffff", ByteBufUtil.hexDump(b, 0, 26));
    assertEquals(9, b[26]);
    assertEquals(0, b[b.length - 1]); // empty volume identifier
    assertEquals(b.length, s.encodedLength());
    assertEquals(s, StorageInfo.decode(Buffers.encode(s::encode)));
  }

  @Test
  void sizesAreFull64Bits() throws Exception {
    StorageInfo s = new StorageInfo(3, 2, 0, -1L, Long.MIN_VALUE, 0, "d", "v");
    StorageInfo back = StorageInfo.decode(Buffers.encode(s::encode));
    assertEquals(-1L, back.maxCapacity());
    assertEquals(Long.MIN_VALUE, back.freeSpaceInBytes());
  }

  @Test
  void truncatedIsMalformed() {
    assertThrows(MalformedDatasetException.class, () -> StorageInfo.decode(Buffers.hex("0300 0200 0000 00000000")));
  }
}
