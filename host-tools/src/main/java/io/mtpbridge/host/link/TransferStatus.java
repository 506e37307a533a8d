package io.mtpbridge.host.link;

/**
 * How a USB transfer ended when it did not complete normally. Each status carries the Linux errno
 * a host controller driver reports for it, so a USB/IP server can put it on the wire unchanged.
 */
public enum TransferStatus {
  /** The endpoint is halted (STALL handshake); cleared with CLEAR_FEATURE(ENDPOINT_HALT). */
  STALL(32),
  /** The device sent more than the host's buffer could take (babble). */
  OVERFLOW(75),
  /** Nothing arrived within the timeout. */
  TIMEOUT(110),
  /** The host gave up on the transfer (unlink, or its own cancel). */
  CANCELLED(104),
  /** The device is not configured, was unplugged, or the link closed. */
  DISCONNECTED(108),
  /** The transfer completed with fewer bytes than the host marked as required (URB_SHORT_NOT_OK). */
  SHORT(121);

  private final int errno;

  TransferStatus(int errno) { this.errno = errno; }

  /** The positive Linux errno; USB/IP sends its negation. */
  public int errno() { return errno; }
}
