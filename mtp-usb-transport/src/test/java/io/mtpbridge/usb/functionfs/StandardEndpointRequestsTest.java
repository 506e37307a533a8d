package io.mtpbridge.usb.functionfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.usb.function.ControlReply;
import org.junit.jupiter.api.Test;

/** GET_STATUS and CLEAR_FEATURE(ENDPOINT_HALT) when a controller forwards them to the function. */
class StandardEndpointRequestsTest {
  private final FfsEndpoint bulkIn = new FfsEndpoint("ep1", true);

  private FfsEndpoint byIndex(int index) { return index == 1 ? bulkIn : null; }

  @Test void getStatusReportsNotHalted() {
    ControlReply r = StandardEndpointRequests.answer(new SetupPacket(0x82, 0x00, 0, 1, 2), this::byIndex);
    assertFalse(r.stalled());
    byte[] status = new byte[r.data().remaining()];
    r.data().duplicate().get(status);
    assertArrayEquals(new byte[] {0, 0}, status);
  }

  @Test void unknownEndpointOrRequestStalls() {
    assertTrue(StandardEndpointRequests.answer(new SetupPacket(0x82, 0x00, 0, 7, 2), this::byIndex).stalled());
    assertTrue(StandardEndpointRequests.answer(new SetupPacket(0x02, 0x03, 0, 1, 0), this::byIndex).stalled(), "SET_FEATURE is not offered");
    assertTrue(StandardEndpointRequests.answer(new SetupPacket(0x82, 0x00, 0, 1, 1), this::byIndex).stalled(), "GET_STATUS needs 2 bytes");
  }

  @Test void clearHaltOnAnEndpointThatCannotDoItStallsInsteadOfLying() {
    // not started: no file behind the endpoint, so the ioctl cannot run
    assertTrue(StandardEndpointRequests.answer(new SetupPacket(0x02, 0x01, 0, 1, 0), this::byIndex).stalled());
  }
}
