package io.mtpbridge.core.transport;

import java.io.IOException;

/** The initiator cancelled the transaction in flight: stop, clean up, send no response. */
public class TransactionCancelledException extends IOException {
  private final int transactionId;

  public TransactionCancelledException(int transactionId) {
    super("transaction " + transactionId + " cancelled by the initiator");
    this.transactionId = transactionId;
  }

  public int transactionId() { return transactionId; }
}
