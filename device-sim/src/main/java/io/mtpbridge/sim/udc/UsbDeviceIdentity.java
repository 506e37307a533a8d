package io.mtpbridge.sim.udc;

/**
 * What the simulated device says about itself in its descriptors. The default VID:PID, 1209:000C
 * (a pid.codes test id), is the one udev-rules/ and the gadget script use, so the same host rules
 * match the simulator and a real gadget; no host driver list (libmtp's music-players.h included)
 * claims it, so no quirk flags apply. A vendor sets its own.
 */
public record UsbDeviceIdentity(
    int vendorId, int productId, int bcdDevice,
    String manufacturer, String product, String serialNumber,
    int msVendorCode) {

  public static final int DEFAULT_VENDOR_ID = 0x1209;
  public static final int DEFAULT_PRODUCT_ID = 0x000C;
  /** The bMS_VendorCode of the 0xEE string; Windows sends it back as bRequest for the compat ID. */
  public static final int DEFAULT_MS_VENDOR_CODE = 0xCD;

  public UsbDeviceIdentity {
    check(vendorId, "vendor id");
    check(productId, "product id");
    check(bcdDevice, "bcdDevice");
    if (msVendorCode < 1 || msVendorCode > 0xFF) throw new IllegalArgumentException("MS vendor code must be 1..255, got " + msVendorCode);
    requireText(manufacturer, "manufacturer");
    requireText(product, "product");
    requireText(serialNumber, "serial number");
  }

  public static UsbDeviceIdentity defaults(String manufacturer, String product, String serialNumber) {
    return new UsbDeviceIdentity(DEFAULT_VENDOR_ID, DEFAULT_PRODUCT_ID, 0x0100, manufacturer, product, serialNumber, DEFAULT_MS_VENDOR_CODE);
  }

  public UsbDeviceIdentity withIds(int vid, int pid) {
    return new UsbDeviceIdentity(vid, pid, bcdDevice, manufacturer, product, serialNumber, msVendorCode);
  }

  private static void check(int v, String what) {
    if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException(what + " must be 0..0xFFFF, got " + v);
  }

  private static void requireText(String s, String what) {
    // Hosts key devices by these strings (go-mtpfs fails without them, gvfs names mtp://<serial>).
    if (s == null || s.isBlank()) throw new IllegalArgumentException("the USB " + what + " string must not be empty");
    if (s.length() > 126) throw new IllegalArgumentException("the USB " + what + " string is longer than 126 characters");
  }
}
