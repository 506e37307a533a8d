package io.mtpbridge.host.link;

import java.io.IOException;

/**
 * An MTP device found on a bus, before it is opened: what the USB descriptors say about it.
 * {@link #open} claims its MTP interface and gives the pipes.
 */
public interface AttachedDevice {
  /** Bus number and device address as {@code lsusb} shows them, e.g. {@code 003-002}. */
  String busAddress();

  int vendorId();

  int productId();

  /** The USB iManufacturer string, or "" when the device has none or it could not be read. */
  String manufacturer();

  /** The USB iProduct string, or "". */
  String product();

  /** The USB iSerialNumber string, or "". */
  String serial();

  /** Claims the device's MTP interface; the link is the caller's to close. */
  InitiatorLink open() throws IOException;

  /** {@code VID:PID} in lsusb's spelling. */
  default String usbId() {
    return String.format("%04x:%04x", vendorId(), productId());
  }
}
