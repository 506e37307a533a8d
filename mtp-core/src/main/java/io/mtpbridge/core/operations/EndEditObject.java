package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.ObjectEditor;
import java.io.IOException;

/**
 * 0x95C5 EndEditObject (handle), Android: makes the edits the object's content, durably and all at
 * once, and ends the edit. Until then the object kept its previous content.
 */
public final class EndEditObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.END_EDIT_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    ObjectNode node = ctx.objects().get(handle);
    node.storage().requireWritable(); // StoreReadOnly says why, where "no edit open" would not
    ObjectEditor editor = ctx.session().editors().remove(handle);
    if (editor == null) throw new MtpOperationException(ResponseCode.GENERAL_ERROR.value(), "object is not being edited (BeginEditObject first)");
    ctx.session().hostChanged(node.storageId(), node.path());
    try {
      editor.commit(node.path()); // where the object is now: the host may have renamed or moved it meanwhile
    } finally {
      editor.close();
    }
    ctx.objects().refresh(node);
    return OperationResult.ok();
  }
}
