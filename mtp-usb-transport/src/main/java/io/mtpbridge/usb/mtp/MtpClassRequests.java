package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control side of MTP over USB (still-image class requests and the function's lifecycle), on
 * the backend's control thread. It only records what happened in {@link LinkState}; the protocol
 * thread does the work.
 */
final class MtpClassRequests implements UsbFunctionListener {
  private static final Logger log = LoggerFactory.getLogger(MtpClassRequests.class);

  static final int CANCEL = 0x64;
  static final int GET_EXTENDED_EVENT_DATA = 0x65;
  static final int DEVICE_RESET = 0x66;
  static final int GET_DEVICE_STATUS = 0x67;
  /** Cancellation code in the Cancel request's data stage (PTP's CancelTransaction event code). */
  static final int CANCEL_CODE = EventCode.CANCEL_TRANSACTION.value();
  static final int EXTENDED_EVENT_DATA_SIZE = 64;
  private static final int TYPE_CLASS = 1;

  private final LinkState state;
  private final EventWriter events;

  MtpClassRequests(LinkState state, EventWriter events) {
    this.state = state;
    this.events = events;
  }

  @Override public void onEnable(UsbSpeed speed, int bulkMaxPacket) {
    log.info("host configured the function: {} speed, bulk max packet {}", speed, bulkMaxPacket);
    state.enable(bulkMaxPacket);
    events.connectionUp();
  }

  @Override public void onDisable() {
    events.connectionDown();
    state.disconnect("configuration disabled (host disconnected or reset the bus)");
  }

  @Override public void onUnbind() {
    events.connectionDown();
    state.disconnect("function unbound from the controller");
  }

  @Override public void onSuspend() { log.debug("bus suspended"); }

  @Override public void onResume() { log.debug("bus resumed"); }

  @Override public ControlReply onControlRequest(ControlRequest r) {
    if (r.type() != TYPE_CLASS) {
      log.debug("stalling non-class request type 0x{} request 0x{}", Integer.toHexString(r.requestType()), Integer.toHexString(r.request()));
      return ControlReply.stall();
    }
    return switch (r.request()) {
      case CANCEL -> cancel(r);
      case GET_EXTENDED_EVENT_DATA -> extendedEventData(r);
      case DEVICE_RESET -> deviceReset(r);
      case GET_DEVICE_STATUS -> deviceStatus(r);
      default -> {
        log.debug("stalling unknown class request 0x{}", Integer.toHexString(r.request()));
        yield ControlReply.stall();
      }
    };
  }

  private ControlReply cancel(ControlRequest r) {
    ByteBuffer data = r.data() == null ? ByteBuffer.allocate(0) : r.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (r.isDeviceToHost() || data.remaining() < 6 || (data.getShort(data.position()) & 0xFFFF) != CANCEL_CODE) {
      log.warn("malformed Cancel request ({} data bytes): stalled", data.remaining());
      return ControlReply.stall();
    }
    state.cancel(data.getInt(data.position() + 2));
    return ControlReply.ack();
  }

  private ControlReply extendedEventData(ControlRequest r) {
    if (!r.isDeviceToHost()) return ControlReply.stall();
    // no event here ever carries extended data: a zeroed block says so
    return ControlReply.data(ByteBuffer.allocate(Math.min(r.length(), EXTENDED_EVENT_DATA_SIZE)));
  }

  private ControlReply deviceReset(ControlRequest r) {
    if (r.isDeviceToHost()) return ControlReply.stall();
    events.connectionDown();
    state.deviceReset();
    events.connectionUp();
    return ControlReply.ack();
  }

  private ControlReply deviceStatus(ControlRequest r) {
    if (!r.isDeviceToHost() || r.length() < 4) return ControlReply.stall();
    ByteBuffer reply = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    reply.putShort((short) 4).putShort((short) state.pollStatus().code()).flip();
    return ControlReply.data(reply);
  }
}
