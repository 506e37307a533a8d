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
  /** OUT data stage, null for IN. */
  final byte[] outData;

  /** When the URB arrived, to tell URBs queued before a short completion from later ones. */
  final long queuedAt = System.nanoTime();
  State state = State.QUEUED;
  Thread runner;

  Urb(int seqnum, int endpoint, boolean in, int flags, int length, byte[] setup, byte[] outData) {
    this.seqnum = seqnum;
    this.endpoint = endpoint;
    this.in = in;
    this.flags = flags;
    this.length = length;
    this.setup = setup;
    this.outData = outData;
  }

  int address() { return in ? endpoint | 0x80 : endpoint; }

  boolean shortNotOk() { return (flags & UsbIpProtocol.URB_SHORT_NOT_OK) != 0; }

  boolean zeroPacket() { return (flags & UsbIpProtocol.URB_ZERO_PACKET) != 0; }
}
