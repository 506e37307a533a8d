package io.mtpbridge.sim.usbip;

/**
 * Constants of the Linux kernel's USB/IP protocol (Documentation/usb/usbip_protocol.rst). All
 * multi-byte fields are big-endian, except the 8-byte SETUP packet, which is carried as USB sends it.
 */
public final class UsbIpProtocol {
  private UsbIpProtocol() {}

  public static final int VERSION = 0x0111;
  public static final int DEFAULT_PORT = 3240;

  public static final int OP_REQ_DEVLIST = 0x8005;
  public static final int OP_REP_DEVLIST = 0x0005;
  public static final int OP_REQ_IMPORT = 0x8003;
  public static final int OP_REP_IMPORT = 0x0003;

  /** Operation status values of the userland protocol. */
  public static final int ST_OK = 0;
  public static final int ST_NA = 1;
  public static final int ST_DEV_BUSY = 2;

  public static final int CMD_SUBMIT = 1;
  public static final int CMD_UNLINK = 2;
  public static final int RET_SUBMIT = 3;
  public static final int RET_UNLINK = 4;

  public static final int DIR_OUT = 0;
  public static final int DIR_IN = 1;

  /** Every URB-phase header (CMD_SUBMIT, RET_SUBMIT, CMD_UNLINK, RET_UNLINK) is 48 bytes. */
  public static final int HEADER_SIZE = 48;
  public static final int SYSFS_PATH_MAX = 256;
  public static final int BUSID_SIZE = 32;
  /** struct usbip_usb_device: path, busid, 3 × u32, 3 × u16, 6 × u8. */
  public static final int DEVICE_STRUCT_SIZE = SYSFS_PATH_MAX + BUSID_SIZE + 12 + 6 + 6;

  public static final int URB_SHORT_NOT_OK = 0x0001;
  public static final int URB_ZERO_PACKET = 0x0040;

  /** Linux errno values the status fields carry (negated). */
  public static final int ECONNRESET = 104;
  public static final int EPIPE = 32;
  public static final int EINVAL = 22;
  public static final int EREMOTEIO = 121;
  public static final int ESHUTDOWN = 108;

  /** enum usb_device_speed. */
  public static final int SPEED_FULL = 2;
  public static final int SPEED_HIGH = 3;
  public static final int SPEED_SUPER = 5;
}
