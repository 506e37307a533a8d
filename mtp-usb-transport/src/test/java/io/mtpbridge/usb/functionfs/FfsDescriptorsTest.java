package io.mtpbridge.usb.functionfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The blobs against layouts written out byte by byte from functionfs.h and the USB 2.0/3.x specs. */
class FfsDescriptorsTest {
  private static final String HEADER_WITH_OS = "03000000" + "ab000000" + "0f000000" + "04000000" + "04000000" + "07000000" + "01000000";
  private static final String HEADER_WITHOUT_OS = "03000000" + "84000000" + "07000000" + "04000000" + "04000000" + "07000000";
  private static final String INTERFACE = "0904" + "00" + "00" + "03" + "060101" + "01";
  private static final String FULL = INTERFACE
      + "0705" + "81" + "02" + "4000" + "00"
      + "0705" + "02" + "02" + "4000" + "00"
      + "0705" + "83" + "03" + "1c00" + "0a";
  private static final String HIGH = INTERFACE
      + "0705" + "81" + "02" + "0002" + "00"
      + "0705" + "02" + "02" + "0002" + "00"
      + "0705" + "83" + "03" + "1c00" + "06";
  private static final String SUPER = INTERFACE
      + "0705" + "81" + "02" + "0004" + "00" + "0630" + "00" + "00" + "0000"
      + "0705" + "02" + "02" + "0004" + "00" + "0630" + "00" + "00" + "0000"
      + "0705" + "83" + "03" + "1c00" + "06" + "0630" + "00" + "00" + "1c00";
  private static final String EXT_COMPAT = "00" + "23000000" + "0100" + "0400" + "01" + "00"
      + "00" + "00" + "4d54500000000000" + "0000000000000000" + "000000000000";

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test void v2BlobWithMicrosoftExtendedCompatId() {
    byte[] expected = HexFormat.of().parseHex(HEADER_WITH_OS + FULL + HIGH + SUPER + EXT_COMPAT);
    byte[] actual = bytes(FfsDescriptors.descriptors(true));
    assertEquals(0xAB, expected.length);
    assertArrayEquals(expected, actual);
  }

  @Test void v2BlobWithoutMicrosoftDescriptorsForKernelsThatRefuseThem() {
    byte[] expected = HexFormat.of().parseHex(HEADER_WITHOUT_OS + FULL + HIGH + SUPER);
    assertEquals(0x84, expected.length);
    assertArrayEquals(expected, bytes(FfsDescriptors.descriptors(false)));
  }

  @Test void extendedCompatReserved1IsZero() {
    byte[] blob = bytes(FfsDescriptors.descriptors(true));
    int entry = blob.length - 24;
    assertEquals(0, blob[entry + 1], "Reserved1 must be 0: older kernels reject anything else");
    assertEquals('M', blob[entry + 2]);
  }

  @Test void stringsBlobHasOneLanguageWithTheInterfaceString() {
    byte[] expected = HexFormat.of().parseHex("02000000" + "16000000" + "01000000" + "01000000" + "0904" + "4d545000");
    assertArrayEquals(expected, bytes(FfsDescriptors.strings()));
  }

  @Test void endpointDescriptorIoctlNumber() {
    // _IOR('g', 130, struct usb_endpoint_descriptor): read direction (2 << 30), size 9, type 'g', number 130
    assertEquals((2L << 30) | (9L << 16) | ('g' << 8) | 130, FunctionFsFunction.ENDPOINT_DESC);
    assertEquals(('g' << 8) | 3, FfsEndpoint.CLEAR_HALT);
  }

  @Test void setupPacketDecoding() {
    ByteBuffer ev = ByteBuffer.wrap(HexFormat.of().parseHex("a1670000000014000400000000"));
    SetupPacket s = SetupPacket.decode(ev, 0);
    assertEquals(0xA1, s.requestType());
    assertEquals(0x67, s.request());
    assertEquals(0, s.index());
    assertEquals(20, s.length());
    assertEquals(1, s.type());
    assertEquals(true, s.isDeviceToHost());
  }
}
