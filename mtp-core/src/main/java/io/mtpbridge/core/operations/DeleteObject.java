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
import java.io.IOException;

/**
 * 0x100B DeleteObject (handle, format). A folder goes with everything in it; when some objects
 * inside are protected the rest is deleted and the answer is PartialDeletion. Handle 0xFFFFFFFF
 * deletes every object (of the format, when one is given) in every writable storage.
 */
public final class DeleteObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.DELETE_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    int format = ctx.param(1);
    if (handle == ObjectSelection.ALL) return deleteAll(ctx, format);
    ObjectNode node = ctx.objects().get(handle);
    ObjectMetadata m = ctx.objects().refresh(node);
    node.storage().requireWritable();
    if (m.writeProtected()) throw new MtpOperationException(ResponseCode.OBJECT_WRITE_PROTECTED.value(), node + " is protected");
    boolean complete = ObjectActions.deleteTree(ctx, node);
    return complete ? OperationResult.ok() : OperationResult.of(ResponseCode.PARTIAL_DELETION.value());
  }

  private OperationResult deleteAll(OperationContext ctx, int format) throws IOException {
    boolean complete = true;
    boolean any = false;
    for (StorageSlot slot : ctx.storages().all()) {
      if (slot.storage().isReadOnly()) {
        complete = false;
        continue;
      }
      ObjectNode root = ctx.objects().root(slot);
      for (ObjectNode n : ObjectSelection.children(ctx, root)) {
        if (format != 0 && !n.isFolder() && !ObjectSelection.matches(n, format)) continue;
        if (format != 0 && n.isFolder()) {
          // With a format filter only objects of that format go; folders are searched, not removed.
          int[] found = deleteMatching(ctx, n, format);
          any |= found[0] > 0;
          complete &= found[1] == 0;
          continue;
        }
        any = true;
        complete &= ObjectActions.deleteTree(ctx, n);
      }
    }
    if (!any && !complete) return OperationResult.of(ResponseCode.STORE_READ_ONLY.value());
    return complete ? OperationResult.ok() : OperationResult.of(ResponseCode.PARTIAL_DELETION.value());
  }

  /** Deletes the files of {@code format} below {@code folder}, one folder at a time: {files tried, files kept}. */
  private static int[] deleteMatching(OperationContext ctx, ObjectNode folder, int format) throws IOException {
    int[] counts = new int[2];
    for (ObjectNode n : ObjectSelection.children(ctx, folder)) {
      if (n.isFolder()) {
        int[] inner = deleteMatching(ctx, n, format);
        counts[0] += inner[0];
        counts[1] += inner[1];
      } else if (ObjectSelection.matches(n, format)) {
        counts[0]++;
        if (!ObjectActions.deleteTree(ctx, n)) counts[1]++;
      }
    }
    return counts;
  }
}
