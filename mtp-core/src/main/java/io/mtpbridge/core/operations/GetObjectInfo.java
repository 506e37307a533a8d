package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.AssociationType;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceTime;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Instant;

/**
 * 0x1008 GetObjectInfo. Objects of 4 GiB or more report ObjectCompressedSize 0xFFFFFFFF; hosts
 * read the real size from the UINT64 ObjectSize property.
 */
public final class GetObjectInfo implements OperationHandler {
  @Override public int operationCode() { return OperationCode.GET_OBJECT_INFO.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    ObjectInfo info = toDataset(ObjectActions.view(ctx, node));
    ByteBuf buf = DataPhases.buffer(info.encodedLength());
    info.encode(buf);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }

  static ObjectInfo toDataset(ObjectView v) {
    ObjectMetadata m = v.metadata();
    return ObjectInfo.builder()
        .storageId(v.node().storageId())
        .objectFormat(v.formatCode())
        .protectionStatus(m.writeProtected() ? 1 : 0)
        .size(m.folder() ? 0 : m.size())
        .parentObject(v.node().parentHandle())
        .associationType(m.folder() ? AssociationType.GENERIC_FOLDER.value() : 0)
        .filename(m.name())
        .dateCreated(date(m.dateCreated()))
        .dateModified(date(m.modified()))
        .build();
  }

  static String date(Instant t) {
    return DeviceTime.format(t);
  }
}
