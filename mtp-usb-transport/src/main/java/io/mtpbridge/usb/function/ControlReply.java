package io.mtpbridge.usb.function;

import java.nio.ByteBuffer;

/** The function's answer to a {@link ControlRequest}: IN data (at most wLength bytes are sent), an ack, or a stall. */
public record ControlReply(boolean stalled, ByteBuffer data) {
  private static final ControlReply ACK = new ControlReply(false, ByteBuffer.allocate(0));
  private static final ControlReply STALL = new ControlReply(true, ByteBuffer.allocate(0));

  public static ControlReply ack() { return ACK; }
  public static ControlReply stall() { return STALL; }
  public static ControlReply data(ByteBuffer data) { return new ControlReply(false, data); }
}
