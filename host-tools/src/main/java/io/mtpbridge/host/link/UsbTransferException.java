package io.mtpbridge.host.link;

import java.io.IOException;

/** A USB transfer that did not complete normally, with how many bytes moved before it ended. */
public class UsbTransferException extends IOException {
  private final TransferStatus status;
  private final int transferred;

  public UsbTransferException(TransferStatus status, int transferred, String message) {
    super(message + " (" + status + ", " + transferred + " bytes transferred)");
    this.status = status;
    this.transferred = transferred;
  }

  public TransferStatus status() { return status; }

  /** Bytes that reached the other side (or the host's buffer) before the transfer ended. */
  public int transferred() { return transferred; }
}
