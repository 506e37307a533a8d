package io.mtpbridge.sim.udc;

import io.mtpbridge.usb.function.UsbSpeed;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The descriptor set of the simulated MTP device at one speed: one configuration, one interface
 * of class 6/1/1 named "MTP" (how libmtp, libgphoto2 and go-mtpfs recognise MTP), bulk IN, bulk
 * OUT and a 28-byte interrupt IN, plus Microsoft OS descriptors so Windows binds its MTP driver.
 */
public final class MtpDescriptors {
  public static final int EP_BULK_IN = 0x81;
  public static final int EP_BULK_OUT = 0x01;
  public static final int EP_INTERRUPT_IN = 0x82;
  /** Android uses 28; libmtp reads events into 24 bytes, so anything at least 24 works. */
  public static final int INTERRUPT_MAX_PACKET = 28;
  public static final int CONFIGURATION_VALUE = 1;

  public static final int STRING_MANUFACTURER = 1;
  public static final int STRING_PRODUCT = 2;
  public static final int STRING_SERIAL = 3;
  public static final int STRING_INTERFACE = 4;
  public static final int STRING_MS_OS = 0xEE;
  public static final int LANGID_EN_US = 0x0409;

  private final UsbDeviceIdentity identity;
  private final UsbSpeed speed;

  public MtpDescriptors(UsbDeviceIdentity identity, UsbSpeed speed) {
    this.identity = identity;
    this.speed = speed;
  }

  public UsbDeviceIdentity identity() { return identity; }

  public UsbSpeed speed() { return speed; }

  public byte[] device() {
    Bytes b = new Bytes();
    b.u8(18).u8(1);
    b.u16(speed == UsbSpeed.SUPER ? 0x0320 : 0x0200);
    b.u8(0).u8(0).u8(0); // class defined by the interface
    b.u8(speed == UsbSpeed.SUPER ? 9 : 64); // ep0 packet size (2^9 at super speed)
    b.u16(identity.vendorId()).u16(identity.productId()).u16(identity.bcdDevice());
    b.u8(STRING_MANUFACTURER).u8(STRING_PRODUCT).u8(STRING_SERIAL).u8(1);
    return b.toArray();
  }

  public byte[] configuration() {
    Bytes body = new Bytes();
    body.u8(9).u8(4).u8(0).u8(0).u8(3).u8(6).u8(1).u8(1).u8(STRING_INTERFACE);
    endpoint(body, EP_BULK_IN, 0x02, speed.bulkMaxPacket(), 0);
    endpoint(body, EP_BULK_OUT, 0x02, speed.bulkMaxPacket(), 0);
    endpoint(body, EP_INTERRUPT_IN, 0x03, INTERRUPT_MAX_PACKET, interruptInterval());
    byte[] rest = body.toArray();
    Bytes b = new Bytes();
    b.u8(9).u8(2).u16(9 + rest.length).u8(1).u8(CONFIGURATION_VALUE).u8(0);
    b.u8(0xC0); // self powered: the simulator draws nothing from the bus
    b.u8(speed == UsbSpeed.SUPER ? 0 : 1);
    b.raw(rest);
    return b.toArray();
  }

  /** Device qualifier: only a high-speed capable USB 2.0 device has one. */
  public byte[] deviceQualifier() {
    if (speed != UsbSpeed.HIGH) return null;
    Bytes b = new Bytes();
    b.u8(10).u8(6).u16(0x0200).u8(0).u8(0).u8(0).u8(64).u8(1).u8(0);
    return b.toArray();
  }

  /** Binary Object Store: required from USB 2.1 on, so only for the super-speed (bcdUSB 3.2) variant. */
  public byte[] bos() {
    if (speed != UsbSpeed.SUPER) return null;
    Bytes caps = new Bytes();
    caps.u8(7).u8(0x10).u8(0x02).u32(0); // USB 2.0 extension, no LPM
    caps.u8(10).u8(0x10).u8(0x03).u8(0).u16(0x000E).u8(1).u8(10).u16(0x07FF); // SuperSpeed USB
    byte[] c = caps.toArray();
    Bytes b = new Bytes();
    b.u8(5).u8(0x0F).u16(5 + c.length).u8(2).raw(c);
    return b.toArray();
  }

  /** String descriptor {@code index}, or null when there is none (the request then stalls). */
  public byte[] string(int index) {
    return switch (index) {
      case 0 -> new byte[] {4, 3, (byte) LANGID_EN_US, (byte) (LANGID_EN_US >> 8)};
      case STRING_MANUFACTURER -> utf16(identity.manufacturer());
      case STRING_PRODUCT -> utf16(identity.product());
      case STRING_SERIAL -> utf16(identity.serialNumber());
      case STRING_INTERFACE -> utf16("MTP");
      case STRING_MS_OS -> msOsString();
      default -> null;
    };
  }

  /**
   * The Microsoft extended compat ID feature descriptor (wIndex 4): interface 0 is "MTP". Its
   * first reserved byte is 1 as the Microsoft OS 1.0 specification says (the FunctionFS blob
   * writes 0 there only because older kernels reject anything else; no kernel parses ours).
   */
  public byte[] extendedCompatId() {
    Bytes b = new Bytes();
    b.u32(40).u16(0x0100).u16(0x0004).u8(1);
    for (int i = 0; i < 7; i++) b.u8(0);
    b.u8(0).u8(1);
    b.raw(padded("MTP", 8)).raw(new byte[8]).raw(new byte[6]);
    return b.toArray();
  }

  private byte[] msOsString() {
    Bytes b = new Bytes();
    b.u8(18).u8(3).raw("MSFT100".getBytes(StandardCharsets.UTF_16LE)).u8(identity.msVendorCode()).u8(0);
    return b.toArray();
  }

  private void endpoint(Bytes b, int address, int attributes, int maxPacket, int interval) {
    b.u8(7).u8(5).u8(address).u8(attributes).u16(maxPacket).u8(interval);
    if (speed == UsbSpeed.SUPER) {
      boolean interrupt = attributes == 0x03;
      b.u8(6).u8(0x30).u8(0).u8(0).u16(interrupt ? maxPacket : 0);
    }
  }

  /** Poll events every few milliseconds: full speed counts in frames, faster speeds in 2^(n-1) microframes. */
  private int interruptInterval() {
    return speed == UsbSpeed.FULL ? 10 : 6;
  }

  private static byte[] utf16(String s) {
    byte[] text = s.getBytes(StandardCharsets.UTF_16LE);
    byte[] d = new byte[2 + text.length];
    d[0] = (byte) d.length;
    d[1] = 3;
    System.arraycopy(text, 0, d, 2, text.length);
    return d;
  }

  private static byte[] padded(String s, int n) {
    byte[] out = new byte[n];
    byte[] a = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(a, 0, out, 0, a.length);
    return out;
  }

  /** Little-endian descriptor writer. */
  private static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) { out.write(v & 0xFF); return this; }
    Bytes u16(int v) { return u8(v).u8(v >> 8); }
    Bytes u32(int v) { return u16(v).u16(v >> 16); }
    Bytes raw(byte[] a) { out.writeBytes(a); return this; }
    byte[] toArray() { return out.toByteArray(); }
  }
}
