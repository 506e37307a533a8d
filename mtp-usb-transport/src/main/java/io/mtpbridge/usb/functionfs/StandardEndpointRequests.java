package io.mtpbridge.usb.functionfs;

import io.mtpbridge.usb.function.ControlReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET_STATUS and CLEAR_FEATURE(ENDPOINT_HALT) for our endpoints, when the controller forwards them
 * instead of answering itself. libmtp clears halts only when it closes the device, so a halt is
 * never used to report errors; these answers just have to be right.
 */
final class StandardEndpointRequests {
  private static final Logger log = LoggerFactory.getLogger(StandardEndpointRequests.class);
  static final int GET_STATUS = 0x00;
  static final int CLEAR_FEATURE = 0x01;
  static final int ENDPOINT_HALT = 0x00;

  private StandardEndpointRequests() {}

  static ControlReply answer(SetupPacket s, IntFunction<FfsEndpoint> endpoints) {
    FfsEndpoint ep = endpoints.apply(s.index());
    if (ep == null) return ControlReply.stall();
    if (s.request() == GET_STATUS && s.isDeviceToHost() && s.length() >= 2) {
      return ControlReply.data(ByteBuffer.wrap(new byte[] {(byte) (ep.isHalted() ? 1 : 0), 0}));
    }
    if (s.request() == CLEAR_FEATURE && !s.isDeviceToHost() && s.value() == ENDPOINT_HALT) {
      try {
        ep.clearHalt();
        return ControlReply.ack();
      } catch (IOException e) {
        log.warn("clearing the halt of endpoint {} failed: {}", s.index(), e.getMessage());
        return ControlReply.stall();
      }
    }
    return ControlReply.stall();
  }
}
