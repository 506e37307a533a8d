package io.mtpbridge.host;

import java.io.IOException;

/**
 * The initiator cancelled the transaction (class request Cancel): the device dropped its data
 * phase and sent no response. The session stays open for the next operation.
 */
public class MtpCancelledException extends IOException {
  private final int transactionId;

  public MtpCancelledException(int transactionId, String why) {
    super("transaction " + transactionId + " cancelled: " + why);
    this.transactionId = transactionId;
  }

  public int transactionId() { return transactionId; }
}
