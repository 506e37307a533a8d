package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.PendingObject;
import io.mtpbridge.core.responder.Session;
import io.mtpbridge.core.responder.TransferBuffer;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.Upload;
import io.mtpbridge.core.transport.DataIn;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * 0x100D SendObject: the content of the object announced by SendObjectInfo / SendObjectPropList,
 * streamed into the storage's upload. The object appears only after its last byte; a cancel, a
 * reset or a short transfer discards the upload and leaves nothing behind.
 */
public final class SendObject implements OperationHandler {

  @Override public int operationCode() { return OperationCode.SEND_OBJECT.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    Session s = ctx.session();
    PendingObject p = s.takePendingObject();
    if (p == null) throw new MtpOperationException(ResponseCode.NO_VALID_OBJECT_INFO.value(), "SendObject without SendObjectInfo");
    if (p.upload() == null) {
      // The empty file was created at announcement; anything more is not what was announced.
      long extra = drain(ctx.receiveData());
      if (extra != 0) throw new MtpOperationException(ResponseCode.INCOMPLETE_TRANSFER.value(), "announced 0 bytes, received " + extra);
      return OperationResult.ok();
    }
    // The upload is discarded on every way out but a commit: cancel, reset, short data, errors.
    try (Upload upload = p.upload()) {
      DataIn in = ctx.receiveData();
      ByteBuffer buf = TransferBuffer.get();
      while (true) {
        buf.clear();
        int n = in.read(buf);
        if (n < 0) break;
        buf.flip();
        while (buf.hasRemaining()) upload.write(buf);
      }
      in.close();
      s.hostChanged(p.parent().storageId(), p.parent().path().child(p.object().name()));
      ObjectMetadata m = upload.commit();
      ctx.objects().add(p.parent(), m, p.handle());
    }
    return OperationResult.ok();
  }

  private static long drain(DataIn in) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4096);
    long total = 0;
    int n;
    while ((n = in.read(b)) >= 0) {
      total += n;
      b.clear();
    }
    in.close();
    return total;
  }
}
