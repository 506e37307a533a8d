package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.StorageException;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * 0x9806 SetObjectPropList (data: ObjectPropList). Elements are applied in order; the first one
 * that fails stops the operation and its index (0-based) is the response's parameter, as MTP asks;
 * on success the parameter is 0.
 */
public final class SetObjectPropList implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SET_OBJECT_PROP_LIST.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, DataPhases.MAX_DATASET);
    ObjectPropList list;
    try {
      list = ObjectPropList.decode(buf);
    } catch (MalformedDatasetException e) {
      return OperationResult.of(e.responseCode().value(), 0); // none could be set: index 0, as MTP asks
    } finally {
      buf.release();
    }
    int i = 0;
    for (ObjectPropList.Element e : list.elements()) {
      try {
        ObjectNode node = ctx.objects().get(e.objectHandle());
        SetObjectPropValue.apply(ctx, node, ctx.objectProperties().get(e.propertyCode()), e.value());
      } catch (MtpOperationException ex) {
        return OperationResult.of(ex.responseCode(), i);
      } catch (StorageException ex) {
        return OperationResult.of(io.mtpbridge.core.responder.ErrorCodes.forStorageError(ex.error()), i);
      }
      i++;
    }
    return OperationResult.ok(0); // MTP: "If the operation succeeds, the first response parameter shall contain 0x00000000"
  }
}
