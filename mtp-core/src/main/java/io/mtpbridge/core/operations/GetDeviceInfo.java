package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x1001 GetDeviceInfo. Every list comes from a registry: operations from the registered handlers,
 * events from the event dispatcher, device properties from the property registry, formats from the
 * builder. So the device advertises exactly what it implements.
 */
public final class GetDeviceInfo implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_DEVICE_INFO.value(); }
  @Override public boolean requiresSession() { return false; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    DeviceInfo info = build(ctx.responder());
    ByteBuf buf = DataPhases.buffer(info.encodedLength());
    info.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }

  /** The DeviceInfo dataset this responder reports. */
  public static DeviceInfo build(MtpResponder r) {
    DeviceIdentity id = r.identity();
    int[] ops = r.handlers().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] events = r.supportedEvents().stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] formats = r.supportedFormats().stream().mapToInt(Integer::intValue).toArray();
    return new DeviceInfo(DeviceInfo.MTP_STANDARD_VERSION, DeviceInfo.MICROSOFT_VENDOR_EXTENSION_ID,
        DeviceInfo.MTP_VENDOR_EXTENSION_VERSION, r.vendorExtensions(), 0, ops, events,
        r.deviceProperties().codes(), new int[0], formats, id.manufacturer(), id.model(), id.deviceVersion(),
        id.serialNumber());
  }
}
