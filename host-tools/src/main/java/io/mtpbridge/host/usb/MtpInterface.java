package io.mtpbridge.host.usb;

/**
 * Where MTP lives on a USB device: the interface (and alternate setting) and its three
 * endpoints, as found in the configuration descriptor.
 *
 * @param number bInterfaceNumber, also the wIndex of MTP's class requests
 * @param alternate bAlternateSetting
 * @param bulkIn bulk IN endpoint address (bit 7 set)
 * @param bulkOut bulk OUT endpoint address
 * @param interruptIn interrupt IN endpoint address (events)
 * @param bulkMaxPacket the bulk endpoints' wMaxPacketSize (64, 512 or 1024)
 * @param interruptMaxPacket the interrupt endpoint's wMaxPacketSize
 */
public record MtpInterface(int number, int alternate, int bulkIn, int bulkOut, int interruptIn, int bulkMaxPacket,
                           int interruptMaxPacket) {
  /** Still Image class, subclass 1, protocol 1: PTP, which MTP extends. */
  public static final int STILL_IMAGE_CLASS = 6;
  public static final int VENDOR_CLASS = 0xFF;
}
