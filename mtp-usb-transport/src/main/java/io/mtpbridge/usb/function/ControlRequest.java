package io.mtpbridge.usb.function;

import java.nio.ByteBuffer;

/**
 * A SETUP packet forwarded to the function (class and vendor requests; a backend answers the
 * standard ones itself). For host-to-device requests with a data stage, {@code data} holds it.
 */
public record ControlRequest(int requestType, int request, int value, int index, int length, ByteBuffer data) {
  public static final int DIR_IN = 0x80;

  public boolean isDeviceToHost() { return (requestType & DIR_IN) != 0; }
  public int type() { return (requestType >> 5) & 0x03; } // 0 standard, 1 class, 2 vendor
  public int recipient() { return requestType & 0x1F; }
}
