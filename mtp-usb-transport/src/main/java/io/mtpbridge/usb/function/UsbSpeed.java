package io.mtpbridge.usb.function;

/** The bus speed a configuration was enabled at, with the bulk max packet size it implies. */
public enum UsbSpeed {
  FULL(64), HIGH(512), SUPER(1024);

  private final int bulkMaxPacket;

  UsbSpeed(int bulkMaxPacket) { this.bulkMaxPacket = bulkMaxPacket; }

  /** The spec bulk packet size at this speed; the negotiated one comes from the backend. */
  public int bulkMaxPacket() { return bulkMaxPacket; }
}
