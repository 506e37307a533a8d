package io.mtpbridge.sim.udc;

import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A function listener that records lifecycle calls and answers class request 0x67 with OK. */
final class RecordingListener implements UsbFunctionListener {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<ControlRequest> requests = new CopyOnWriteArrayList<>();

  @Override public void onEnable(UsbSpeed speed, int bulkMaxPacket) { calls.add("enable " + speed + " " + bulkMaxPacket); }
  @Override public void onDisable() { calls.add("disable"); }
  @Override public void onSuspend() { calls.add("suspend"); }
  @Override public void onResume() { calls.add("resume"); }
  @Override public void onUnbind() { calls.add("unbind"); }

  @Override public ControlReply onControlRequest(ControlRequest request) {
    requests.add(request);
    if (request.request() == 0x67) return ControlReply.data(ByteBuffer.wrap(new byte[] {4, 0, 1, 0x20}));
    if (request.request() == 0x64) return ControlReply.ack();
    return ControlReply.stall();
  }
}
