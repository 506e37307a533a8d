package io.mtpbridge.sim.usbip;

/**
 * One submitted URB and the state that decides who answers it: the endpoint worker with a
 * RET_SUBMIT, or an unlink with -ECONNRESET — never both (vhci tears the device down otherwise).
 */
final class Urb {
  enum State { QUEUED, RUNNING, DONE, UNLINKED }

  final int seqnum;
  /** Endpoint number (0..15) and direction; the address is {@code number | 0x80} for IN. */
  final int endpoint;
  final boolean in;
  final int flags;
  final int length;
  final byte[] setup;
  /**
   * OUT data as it arrived, in pieces of at most {@link UrbSession#OUT_PIECE} bytes (a whole
   * number of packets each, but the last), so memory follows the bytes received, not the
   * length the header claimed. Empty for IN.
   */
  final byte[][] outData;

  State state = State.QUEUED;
  Thread runner;
  /** An unlink asked the running transfer to stop (by interrupting {@link #runner}). */
  boolean cancelRequested;

  Urb(int seqnum, int endpoint, boolean in, int flags, int length, byte[] setup, byte[][] outData) {
    this.seqnum = seqnum;
    this.endpoint = endpoint;
    this.in = in;
    this.flags = flags;
    this.length = length;
    this.setup = setup;
    this.outData = outData;
  }

  /** The OUT data in one array (control requests: at most 64 KiB by wLength). */
  byte[] outBytes() {
    byte[] all = new byte[length];
    int off = 0;
    for (byte[] piece : outData) {
      System.arraycopy(piece, 0, all, off, piece.length);
      off += piece.length;
    }
    return all;
  }

  int address() { return in ? endpoint | 0x80 : endpoint; }

  boolean shortNotOk() { return (flags & UsbIpProtocol.URB_SHORT_NOT_OK) != 0; }

  boolean zeroPacket() { return (flags & UsbIpProtocol.URB_ZERO_PACKET) != 0; }
}
