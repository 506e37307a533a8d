package io.mtpbridge.host.usb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A bulk IN slice that reports a timeout: the transfer goes on only after whole packets (no short
 * packet ended it) into a buffer that is not yet full. Reading on after a short packet appended
 * the response container to a data phase (mtpbridge over USB/IP on a loaded machine: "the device
 * sent 20 bytes in a 8-byte data phase").
 */
class SlicedBulkInTest {
  @Test
  void aShortPacketEndsTheTransferEvenWhenItsSliceTimedOut() {
    assertTrue(LibUsbLink.endedDespiteTimeout(20, 20, 16384, 512), "a 20-byte data container");
    assertTrue(LibUsbLink.endedDespiteTimeout(100, 1124, 16384, 512), "two whole packets, then a short one");
    assertTrue(LibUsbLink.endedDespiteTimeout(63, 63, 16384, 64), "full speed");
  }

  @Test
  void wholePacketsOrNothingReadOn() {
    assertFalse(LibUsbLink.endedDespiteTimeout(0, 0, 16384, 512), "nothing yet");
    assertFalse(LibUsbLink.endedDespiteTimeout(1024, 1024, 16384, 512), "two whole packets so far");
    assertFalse(LibUsbLink.endedDespiteTimeout(0, 1024, 16384, 512), "a silent slice after whole packets");
  }

  @Test
  void aFullBufferEndsTheTransfer() {
    assertTrue(LibUsbLink.endedDespiteTimeout(512, 16384, 16384, 512));
  }
}
