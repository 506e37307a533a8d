package io.mtpbridge.usb.functionfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The blobs written to FunctionFS's ep0 before the gadget can be bound (layouts from the kernel's
 * include/uapi/linux/usb/functionfs.h): the V2 descriptors with full-, high- and super-speed sets
 * for one still-image interface (6/1/1) with bulk IN, bulk OUT and interrupt IN, optionally the
 * Microsoft extended compat ID "MTP", and the strings.
 *
 * <p>FunctionFS names the endpoint files in the order the endpoints appear: ep1 is bulk IN, ep2
 * bulk OUT, ep3 interrupt IN.
 */
final class FfsDescriptors {
  static final int DESCRIPTORS_MAGIC_V2 = 3;
  static final int STRINGS_MAGIC = 2;
  static final int HAS_FS_DESC = 1;
  static final int HAS_HS_DESC = 2;
  static final int HAS_SS_DESC = 4;
  static final int HAS_MS_OS_DESC = 8;

  static final int BULK_IN_ADDRESS = 0x81;
  static final int BULK_OUT_ADDRESS = 0x02;
  static final int INTERRUPT_IN_ADDRESS = 0x83;
  /** 28 bytes: an event with three parameters (24) fits, and Android uses the same. */
  static final int INTERRUPT_MAX_PACKET = 28;
  static final int LANG_EN_US = 0x0409;
  static final String INTERFACE_NAME = "MTP";

  private static final int TYPE_INTERFACE = 4;
  private static final int TYPE_ENDPOINT = 5;
  private static final int TYPE_SS_ENDPOINT_COMPANION = 0x30;
  private static final int BULK = 0x02;
  private static final int INTERRUPT = 0x03;
  private static final int STILL_IMAGE_CLASS = 6;
  private static final int INTERFACE_DESC_SIZE = 9;
  private static final int ENDPOINT_DESC_SIZE = 7;
  private static final int COMPANION_DESC_SIZE = 6;
  private static final int OS_DESC_HEADER_SIZE = 11;
  private static final int EXT_COMPAT_SIZE = 24;

  private FfsDescriptors() {}

  /** The descriptors blob; {@code withMsOsDescriptors} adds the extended compat ID "MTP". */
  static ByteBuffer descriptors(boolean withMsOsDescriptors) {
    int flags = HAS_FS_DESC | HAS_HS_DESC | HAS_SS_DESC | (withMsOsDescriptors ? HAS_MS_OS_DESC : 0);
    int speedSet = INTERFACE_DESC_SIZE + 3 * ENDPOINT_DESC_SIZE;
    int superSet = speedSet + 3 * COMPANION_DESC_SIZE;
    int length = 12 + 4 * 3 + (withMsOsDescriptors ? 4 : 0) + 2 * speedSet + superSet
        + (withMsOsDescriptors ? OS_DESC_HEADER_SIZE + EXT_COMPAT_SIZE : 0);
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(DESCRIPTORS_MAGIC_V2).putInt(length).putInt(flags);
    b.putInt(4).putInt(4).putInt(7); // descriptors per speed: interface + 3 endpoints (+ 3 companions)
    if (withMsOsDescriptors) b.putInt(1);

    // full speed: bulk 64, interrupt polled every 10 ms
    putInterface(b);
    putEndpoint(b, BULK_IN_ADDRESS, BULK, 64, 0);
    putEndpoint(b, BULK_OUT_ADDRESS, BULK, 64, 0);
    putEndpoint(b, INTERRUPT_IN_ADDRESS, INTERRUPT, INTERRUPT_MAX_PACKET, 10);
    // high speed: bulk 512, interrupt every 2^(6-1) microframes = 4 ms
    putInterface(b);
    putEndpoint(b, BULK_IN_ADDRESS, BULK, 512, 0);
    putEndpoint(b, BULK_OUT_ADDRESS, BULK, 512, 0);
    putEndpoint(b, INTERRUPT_IN_ADDRESS, INTERRUPT, INTERRUPT_MAX_PACKET, 6);
    // super speed: bulk 1024, each endpoint followed by its companion
    putInterface(b);
    putEndpoint(b, BULK_IN_ADDRESS, BULK, 1024, 0);
    putCompanion(b, 0);
    putEndpoint(b, BULK_OUT_ADDRESS, BULK, 1024, 0);
    putCompanion(b, 0);
    putEndpoint(b, INTERRUPT_IN_ADDRESS, INTERRUPT, INTERRUPT_MAX_PACKET, 6);
    putCompanion(b, INTERRUPT_MAX_PACKET);

    if (withMsOsDescriptors) putExtendedCompatId(b);
    if (b.hasRemaining()) throw new IllegalStateException("descriptor length miscounted by " + b.remaining());
    return b.flip();
  }

  private static void putInterface(ByteBuffer b) {
    b.put((byte) INTERFACE_DESC_SIZE).put((byte) TYPE_INTERFACE)
        .put((byte) 0)                  // bInterfaceNumber (FunctionFS renumbers)
        .put((byte) 0)                  // bAlternateSetting
        .put((byte) 3)                  // bNumEndpoints
        .put((byte) STILL_IMAGE_CLASS).put((byte) 1).put((byte) 1) // 6/1/1: what libmtp, libgphoto2, go-mtpfs probe
        .put((byte) 1);                 // iInterface: first string of the strings blob, "MTP"
  }

  private static void putEndpoint(ByteBuffer b, int address, int attributes, int maxPacket, int interval) {
    b.put((byte) ENDPOINT_DESC_SIZE).put((byte) TYPE_ENDPOINT).put((byte) address).put((byte) attributes)
        .putShort((short) maxPacket).put((byte) interval);
  }

  private static void putCompanion(ByteBuffer b, int bytesPerInterval) {
    b.put((byte) COMPANION_DESC_SIZE).put((byte) TYPE_SS_ENDPOINT_COMPANION)
        .put((byte) 0)   // bMaxBurst
        .put((byte) 0)   // bmAttributes
        .putShort((short) bytesPerInterval);
  }

  /** One OS descriptor: header (wIndex 4 = extended compat ID) and one function entry. */
  private static void putExtendedCompatId(ByteBuffer b) {
    b.put((byte) 0)                                   // interface
        .putInt(OS_DESC_HEADER_SIZE + EXT_COMPAT_SIZE) // dwLength
        .putShort((short) 1)                          // bcdVersion
        .putShort((short) 4)                          // wIndex: extended compat ID
        .put((byte) 1)                                // bCount
        .put((byte) 0);                               // Reserved
    b.put((byte) 0)                                   // bFirstInterfaceNumber
        .put((byte) 0);                               // Reserved1: 0, older kernels refuse anything else
    b.put(padded("MTP", 8)).put(padded("", 8)).put(new byte[6]);
  }

  /** The strings blob: one language (en-US) with the interface string. */
  static ByteBuffer strings() {
    byte[] name = (INTERFACE_NAME + '\0').getBytes(StandardCharsets.UTF_8);
    int length = 16 + 2 + name.length;
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(STRINGS_MAGIC).putInt(length).putInt(1).putInt(1);
    b.putShort((short) LANG_EN_US).put(name);
    return b.flip();
  }

  private static byte[] padded(String s, int size) {
    byte[] out = new byte[size];
    byte[] in = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(in, 0, out, 0, in.length);
    return out;
  }
}
