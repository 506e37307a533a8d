package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.StorageSlot;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.transport.DataOut;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * 0x1007 GetObjectHandles (storage, format, parent): parent 0xFFFFFFFF = root, 0 = all objects,
 * storage 0 or 0xFFFFFFFF = all storages. All objects are counted in a walk of every folder and
 * then sent from the handle index folder by folder, never as one list (see {@link GetObjectPropList}).
 */
public final class GetObjectHandles implements OperationHandler {
  private static final int CHUNK = 16 * 1024;

  @Override public int operationCode() { return OperationCode.GET_OBJECT_HANDLES.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int storageId = ctx.param(0);
    int format = ctx.param(1);
    int parent = ctx.param(2);
    if (parent == 0) {
      everyObject(ctx, ObjectSelection.storages(ctx, storageId), format);
      return OperationResult.ok();
    }
    int[] handles = ObjectSelection.selectHandles(ctx, storageId, format, parent);
    ByteBuf buf = DataPhases.buffer(4 + 4 * handles.length);
    buf.writeIntLE(handles.length);
    for (int h : handles) buf.writeIntLE(h);
    DataPhases.send(ctx, buf);
    return OperationResult.ok();
  }

  /** How many objects of the storages match {@code format}: a walk listing every folder afresh. */
  static long countEveryObject(OperationContext ctx, List<StorageSlot> slots, int format, Set<ObjectNode>[] skipped) throws IOException {
    long[] count = {0};
    skipped[0] = ObjectSelection.walkListing(ctx, slots, (folder, listing) -> {
      for (ObjectMetadata m : listing.metadata()) if (ObjectSelection.matches(ObjectActions.formatOf(m), format)) count[0]++;
    });
    return count[0];
  }

  private static void everyObject(OperationContext ctx, List<StorageSlot> slots, int format) throws IOException {
    ReentrantLock still = ctx.objects().walkLock();
    still.lock();
    try {
      @SuppressWarnings("unchecked") Set<ObjectNode>[] skipped = new Set[1];
      long count = countEveryObject(ctx, slots, format, skipped);
      if (count > 0x3FFFFFFEL) throw new MtpOperationException(ResponseCode.GENERAL_ERROR.value(), count + " objects do not fit one data phase");
      DataOut out = ctx.sendData(4 + 4 * count);
      ByteBuf buf = DataPhases.buffer(CHUNK + 64);
      long[] sent = {0};
      try {
        buf.writeIntLE((int) count);
        ObjectSelection.walkKnown(ctx, slots, skipped[0], (folder, children) -> {
          for (int j = 0; j < children.size(); j++) {
            if (!ObjectSelection.matches(children.formats[j], format)) continue;
            if (++sent[0] > count) throw new IOException("the objects changed between the count and the answer");
            buf.writeIntLE(children.handles[j]);
            if (buf.readableBytes() >= CHUNK) flush(buf, out);
          }
        });
        if (sent[0] != count) throw new IOException("the objects changed between the count and the answer");
        flush(buf, out);
      } finally {
        buf.release();
      }
      out.close();
    } finally {
      still.unlock();
    }
  }

  private static void flush(ByteBuf buf, DataOut out) throws IOException {
    var nio = buf.nioBuffer();
    while (nio.hasRemaining()) out.write(nio);
    buf.clear();
  }
}
