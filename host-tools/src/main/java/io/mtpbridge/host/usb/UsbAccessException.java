package io.mtpbridge.host.usb;

import java.io.IOException;

/** The device node (/dev/bus/usb/BBB/DDD) cannot be opened by this user. */
public class UsbAccessException extends IOException {
  public UsbAccessException(String message) {
    super(message);
  }
}
