package io.mtpbridge.usb.mtp;

/** What class request Get Device Status (0x67) reports, as PTP response codes. */
enum DeviceStatus {
  OK(0x2001),
  /** A cancel is being processed: the protocol thread has not yet wound the transaction down. */
  DEVICE_BUSY(0x2019),
  /** The last transaction was cancelled; reported once, then the status returns to OK. */
  TRANSACTION_CANCELLED(0x201F);

  private final int code;

  DeviceStatus(int code) { this.code = code; }

  int code() { return code; }
}
