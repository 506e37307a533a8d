package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.TransferBuffer;
import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.transport.DataIn;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * 0x95C2 SendPartialObject (handle, offset low, offset high, length), Android: writes the data
 * phase at the offset of an object open for editing. Answers the bytes written. Data beyond the
 * announced length is not written.
 */
public final class SendPartialObject implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SEND_PARTIAL_OBJECT.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    long offset = Integer.toUnsignedLong(ctx.param(1)) | (Integer.toUnsignedLong(ctx.param(2)) << 32);
    long length = Integer.toUnsignedLong(ctx.param(3));
    if (offset < 0) throw DataPhases.invalidParameter("offset beyond 2^63");
    ObjectEditor editor = Edits.editor(ctx, handle);
    ObjectNode node = ctx.objects().get(handle);
    DataIn in = ctx.receiveData();
    ByteBuffer buf = TransferBuffer.get();
    long written = 0;
    ctx.session().hostChanged(node.storageId(), node.path());
    while (written < length) {
      buf.clear();
      if (length - written < buf.capacity()) buf.limit((int) (length - written));
      int n = in.read(buf);
      if (n < 0) break;
      buf.flip();
      editor.write(offset + written, buf);
      written += n;
    }
    in.close();
    if (written < length) {
      throw new MtpOperationException(ResponseCode.INCOMPLETE_TRANSFER.value(), "received " + written + " of " + length + " bytes");
    }
    return OperationResult.ok((int) written);
  }
}
