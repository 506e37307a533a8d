package io.mtpbridge.usb.functionfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 8-byte USB SETUP packet at the start of a FunctionFS SETUP event. */
record SetupPacket(int requestType, int request, int value, int index, int length) {
  static final int TYPE_STANDARD = 0;
  static final int RECIPIENT_ENDPOINT = 2;

  static SetupPacket decode(ByteBuffer events, int off) {
    ByteBuffer b = events.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return new SetupPacket(b.get(off) & 0xFF, b.get(off + 1) & 0xFF, b.getShort(off + 2) & 0xFFFF,
        b.getShort(off + 4) & 0xFFFF, b.getShort(off + 6) & 0xFFFF);
  }

  boolean isDeviceToHost() { return (requestType & 0x80) != 0; }

  int type() { return (requestType >> 5) & 0x03; }

  int recipient() { return requestType & 0x1F; }

  @Override public String toString() {
    return String.format("SETUP[type 0x%02X req 0x%02X value 0x%04X index %d length %d]", requestType, request, value, index, length);
  }
}
