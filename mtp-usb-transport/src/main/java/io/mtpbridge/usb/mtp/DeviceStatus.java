package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.code.ResponseCode;

/** What class request Get Device Status (0x67) reports, as PTP response codes. */
enum DeviceStatus {
  OK(ResponseCode.OK),
  /** A cancel is being processed: the protocol thread has not yet wound the transaction down. */
  DEVICE_BUSY(ResponseCode.DEVICE_BUSY),
  /** The last transaction was cancelled; reported once, then the status returns to OK. */
  TRANSACTION_CANCELLED(ResponseCode.TRANSACTION_CANCELLED);

  private final ResponseCode code;

  DeviceStatus(ResponseCode code) { this.code = code; }

  int code() { return code.value(); }
}
