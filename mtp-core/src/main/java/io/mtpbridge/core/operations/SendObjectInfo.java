package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceTime;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectNames;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Instant;

/**
 * 0x100C SendObjectInfo (storage, parent; data: ObjectInfo). Parent 0 and 0xFFFFFFFF both mean
 * the storage root. A folder is created at once; for a file the storage opens its upload now, so
 * a name that is invalid or taken, a read-only storage or a size that cannot fit is refused before
 * the host sends a byte. Answers storage, parent and the new object's handle. The parent of an
 * object stored in the root of the store is answered as 0xFFFFFFFF, whether the host named the
 * root 0 or 0xFFFFFFFF: PTP's SendObjectInfo text and MTP's SendObjectPropList text both say so
 * for this response parameter. ObjectInfo's ParentObject of such an object stays 0 (PTP's rule for
 * that dataset field). Android's MtpServer answers 0 here instead; libmtp passes the value to its
 * caller, and gvfs, go-mtpfs and Android File Transfer read only the new handle.
 */
public final class SendObjectInfo implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SEND_OBJECT_INFO.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, DataPhases.MAX_DATASET);
    ObjectInfo info;
    try {
      info = ObjectInfo.decode(buf);
    } finally {
      buf.release();
    }
    ObjectNode parent = io.mtpbridge.core.responder.ObjectActions.resolveParent(ctx, ctx.param(0), ctx.param(1));
    boolean folder = ObjectFormat.isAssociation(info.objectFormat());
    long size = folder ? 0 : info.sizeExceeds32Bits() ? -1 : info.objectCompressedSize();
    NewObject spec = new NewObject(ObjectNames.validate(info.filename()), folder, size, info.objectFormat(),
        date(info.dateCreated()), date(info.dateModified()));
    int handle = ObjectAnnouncements.announce(ctx, parent, spec);
    return OperationResult.ok(parent.storageId(), parentParameter(parent), handle);
  }

  /** The parent as SendObjectInfo and SendObjectPropList answer it: 0xFFFFFFFF for a storage root. */
  static int parentParameter(ObjectNode parent) {
    return parent.isRoot() ? 0xFFFFFFFF : parent.handle();
  }

  /** A date the host wrote, or null when it wrote none or something unreadable (never fatal). */
  static Instant date(String s) {
    return DeviceTime.parseOrNull(s);
  }
}
