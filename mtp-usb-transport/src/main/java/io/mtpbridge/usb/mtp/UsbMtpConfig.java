package io.mtpbridge.usb.mtp;

/**
 * Tuning of the USB framing.
 *
 * @param transferSize bytes per bulk endpoint read or write in data phases; a multiple of 1024 so it
 *     is a whole number of packets at every speed, and at least 64 KiB so large transfers are not
 *     bounded by system-call overhead
 * @param eventQueueCapacity events waiting for the interrupt pipe; beyond it events are dropped
 * @param interruptMaxPacket max packet size of the interrupt IN endpoint (a ZLP follows an event
 *     container that fills whole packets)
 * @param stallMillis how long a device-to-host transfer may make no progress before the OUT pipe
 *     is watched for a host that gave up on it
 */
public record UsbMtpConfig(int transferSize, int eventQueueCapacity, int interruptMaxPacket, long stallMillis) {
  public static final int MIN_TRANSFER_SIZE = 64 * 1024;

  public UsbMtpConfig {
    if (transferSize < MIN_TRANSFER_SIZE || transferSize % 1024 != 0) {
      throw new IllegalArgumentException("transferSize must be a multiple of 1024 and at least 64 KiB, got " + transferSize);
    }
    if (eventQueueCapacity < 1) throw new IllegalArgumentException("eventQueueCapacity must be positive");
    if (interruptMaxPacket < 8) throw new IllegalArgumentException("interruptMaxPacket must be at least 8");
    if (stallMillis < 1) throw new IllegalArgumentException("stallMillis must be positive");
  }

  public static UsbMtpConfig defaults() { return new UsbMtpConfig(128 * 1024, 64, 28, InStallWatch.DEFAULT_STALL_MILLIS); }
}
