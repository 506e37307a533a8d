package io.mtpbridge.sim.usbip;

import io.mtpbridge.sim.udc.MtpDescriptors;
import io.mtpbridge.sim.udc.VirtualUdc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The one device this server exports, and how it is described in OP_REP_DEVLIST / OP_REP_IMPORT. */
public final class ExportedDevice {
  public static final String DEFAULT_BUSID = "1-1";
  private static final int BUSNUM = 1;
  private static final int DEVNUM = 2;

  private final VirtualUdc udc;
  private final String busId;

  public ExportedDevice(VirtualUdc udc, String busId) {
    if (busId.isEmpty() || busId.getBytes(StandardCharsets.US_ASCII).length >= UsbIpProtocol.BUSID_SIZE) {
      throw new IllegalArgumentException("bus id must be 1.." + (UsbIpProtocol.BUSID_SIZE - 1) + " characters: " + busId);
    }
    this.udc = udc;
    this.busId = busId;
  }

  public VirtualUdc udc() { return udc; }

  public String busId() { return busId; }

  int devId() { return BUSNUM << 16 | DEVNUM; }

  /** Writes struct usbip_usb_device (and, for the device list, the interface records after it). */
  void writeDevice(ByteBuffer out, boolean withInterfaces) {
    MtpDescriptors d = udc.descriptors();
    putFixed(out, "/sys/devices/platform/mtpbridge-sim/usb" + BUSNUM + "/" + busId, UsbIpProtocol.SYSFS_PATH_MAX);
    putFixed(out, busId, UsbIpProtocol.BUSID_SIZE);
    out.putInt(BUSNUM).putInt(DEVNUM).putInt(speedCode());
    out.putShort((short) d.identity().vendorId()).putShort((short) d.identity().productId()).putShort((short) d.identity().bcdDevice());
    out.put((byte) 0).put((byte) 0).put((byte) 0); // device class comes from the interface
    out.put((byte) udc.hostPort().configuration()).put((byte) 1).put((byte) 1);
    if (withInterfaces) out.put((byte) 6).put((byte) 1).put((byte) 1).put((byte) 0);
  }

  private int speedCode() {
    return switch (udc.speed()) {
      case FULL -> UsbIpProtocol.SPEED_FULL;
      case HIGH -> UsbIpProtocol.SPEED_HIGH;
      case SUPER -> UsbIpProtocol.SPEED_SUPER;
    };
  }

  private static void putFixed(ByteBuffer out, String s, int size) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    int n = Math.min(b.length, size - 1);
    out.put(b, 0, n);
    for (int i = n; i < size; i++) out.put((byte) 0);
  }
}
