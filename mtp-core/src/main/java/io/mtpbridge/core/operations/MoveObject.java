package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.Session;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import java.io.IOException;

/**
 * 0x1019 MoveObject (handle, storage, new parent; parent 0 = that storage's root). Within a
 * storage the storage moves it and the object keeps its handle; between storages it is copied and
 * the original deleted (the moved object then has a new handle, which hosts re-read).
 */
public final class MoveObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.MOVE_OBJECT.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ObjectNode node = ctx.objects().get(ctx.param(0));
    ObjectNode target = ObjectActions.resolveParent(ctx, ctx.param(1), ctx.param(2));
    ObjectMetadata m = ctx.objects().refresh(node);
    node.storage().requireWritable();
    target.storage().requireWritable();
    if (m.writeProtected()) return OperationResult.of(ResponseCode.OBJECT_WRITE_PROTECTED.value());
    if (node.isFolder() && ctx.objects().isWithin(target, node)) {
      throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), "cannot move a folder into itself");
    }
    if (target == node.parent() || (node.parent() == null && target.isRoot())) return OperationResult.ok();
    Session s = ctx.session();
    if (target.storageId() == node.storageId()) {
      s.hostChanged(node.storageId(), node.path());
      s.hostChanged(target.storageId(), target.path().child(m.name()));
      ObjectPath from = node.path();
      ObjectMetadata moved = node.storage().storage().move(from, target.path());
      ctx.objects().move(node, target, moved);
      ObjectActions.movedReferences(ctx, node.storageId(), from, node.storageId(), node.path());
      return OperationResult.ok();
    }
    ObjectNode copy = ObjectActions.copyTree(ctx, node, target);
    target.storage().storage().sync(); // the copy is durable before its source goes
    ObjectActions.movedReferences(ctx, node.storageId(), node.path(), copy.storageId(), copy.path());
    boolean complete = ObjectActions.deleteTree(ctx, node);
    return complete ? OperationResult.ok() : OperationResult.of(ResponseCode.PARTIAL_DELETION.value());
  }
}
