package io.mtpbridge.sim.udc;

import java.nio.ByteBuffer;

/**
 * Chapter 9 standard requests, answered by the virtual controller itself (on a real gadget the
 * UDC driver and the composite layer do this, and FunctionFS never sees them). Each returns the
 * IN data stage, an empty array for a status-only success, or null to stall.
 */
final class StandardRequests {
  static final int GET_STATUS = 0;
  static final int CLEAR_FEATURE = 1;
  static final int SET_FEATURE = 3;
  static final int SET_ADDRESS = 5;
  static final int GET_DESCRIPTOR = 6;
  static final int GET_CONFIGURATION = 8;
  static final int SET_CONFIGURATION = 9;
  static final int GET_INTERFACE = 10;
  static final int SET_INTERFACE = 11;

  private static final int RECIPIENT_DEVICE = 0;
  private static final int RECIPIENT_INTERFACE = 1;
  private static final int RECIPIENT_ENDPOINT = 2;
  private static final int FEATURE_ENDPOINT_HALT = 0;
  private static final byte[] NONE = new byte[0];

  private final VirtualUdc udc;
  private final VirtualHostPort port;

  StandardRequests(VirtualUdc udc, VirtualHostPort port) {
    this.udc = udc;
    this.port = port;
  }

  byte[] handle(int requestType, int request, int value, int index, ByteBuffer data) {
    int recipient = requestType & 0x1F;
    return switch (request) {
      case GET_DESCRIPTOR -> descriptor(value >> 8, value & 0xFF);
      case GET_STATUS -> status(recipient, index);
      case CLEAR_FEATURE -> feature(recipient, value, index, false);
      case SET_FEATURE -> feature(recipient, value, index, true);
      case SET_ADDRESS -> NONE; // the address lives in the host controller; nothing to route here
      case GET_CONFIGURATION -> new byte[] {(byte) port.configuration()};
      case SET_CONFIGURATION -> setConfiguration(value & 0xFF);
      case GET_INTERFACE -> index == 0 && port.isConfigured() ? new byte[] {0} : null;
      case SET_INTERFACE -> setInterface(value, index);
      default -> null;
    };
  }

  private byte[] descriptor(int type, int index) {
    MtpDescriptors d = udc.descriptors();
    return switch (type) {
      case 1 -> d.device();
      case 2 -> index == 0 ? d.configuration() : null;
      case 3 -> d.string(index);
      case 6 -> d.deviceQualifier();
      case 15 -> d.bos();
      default -> null;
    };
  }

  private byte[] status(int recipient, int index) {
    if (recipient == RECIPIENT_DEVICE) return new byte[] {1, 0}; // self powered, no remote wake-up
    if (recipient == RECIPIENT_INTERFACE) return index == 0 ? new byte[] {0, 0} : null;
    if (recipient == RECIPIENT_ENDPOINT) {
      if ((index & 0x7F) == 0) return new byte[] {0, 0};
      PacketPipe pipe = port.pipeFor(index & 0xFF);
      if (pipe == null || !port.isConfigured()) return null;
      return new byte[] {(byte) (pipe.isHalted() ? 1 : 0), 0};
    }
    return null;
  }

  private byte[] feature(int recipient, int feature, int index, boolean set) {
    if (recipient != RECIPIENT_ENDPOINT) return recipient == RECIPIENT_DEVICE || recipient == RECIPIENT_INTERFACE ? NONE : null;
    if (feature != FEATURE_ENDPOINT_HALT) return null;
    if ((index & 0x7F) == 0) return NONE;
    PacketPipe pipe = port.pipeFor(index & 0xFF);
    if (pipe == null || !port.isConfigured()) return null;
    pipe.setHalted(set);
    return NONE;
  }

  private byte[] setConfiguration(int value) {
    if (value != 0 && value != MtpDescriptors.CONFIGURATION_VALUE) return null;
    port.setConfiguration(value);
    return NONE;
  }

  private byte[] setInterface(int alternate, int index) {
    if (index != 0 || alternate != 0 || !port.isConfigured()) return null;
    // Selecting the only alternate setting resets the endpoints' halt state and data toggles.
    for (int ep : new int[] {MtpDescriptors.EP_BULK_IN, MtpDescriptors.EP_BULK_OUT, MtpDescriptors.EP_INTERRUPT_IN}) {
      port.pipeFor(ep).setHalted(false);
    }
    return NONE;
  }
}
