package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.TransferBuffer;
import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.transport.DataOut;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Streams object content from a storage into the device's data phase: a bounded direct buffer
 * moves the bytes, so a 4 GiB object needs no more heap than a 4 KiB one. The data phase blocks
 * while the host is not reading (back-pressure) and throws when the host cancels; the file is
 * closed either way.
 */
final class ObjectStreams {

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

  private ObjectStreams() {}

  private static void pad(DataOut out, long count) throws IOException {
    long left = count;
    while (left > 0) {
      ByteBuffer z = ZEROS.duplicate();
      if (left < z.capacity()) z.limit((int) left);
      left -= z.remaining();
      while (z.hasRemaining()) out.write(z);
    }
  }

  /** A file (not folder) node with fresh metadata, or InvalidObjectHandle. */
  static ObjectMetadata fileMetadata(OperationContext ctx, ObjectNode node) throws IOException {
    ObjectMetadata m = ctx.objects().refresh(node);
    if (m.folder()) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_HANDLE.value(), node + " is a folder, it has no content");
    return m;
  }

  /** The size of the object's content: the edited size while the host has an edit open on it. */
  static long contentSize(OperationContext ctx, ObjectNode node, ObjectMetadata m) throws IOException {
    ObjectEditor editor = Edits.openOn(ctx, node.handle());
    return editor != null ? editor.size() : m.size();
  }

  /**
   * Sends {@code length} bytes of the object from {@code offset}; returns the bytes sent. While
   * the host has an edit open on the object, it reads the edited content (what it wrote so far).
   */
  static long send(OperationContext ctx, ObjectNode node, long offset, long length) throws IOException {
    ObjectEditor editor = Edits.openOn(ctx, node.handle());
    try (ReadableByteChannel in = editor != null ? editor.openRead(offset) : node.storage().storage().openRead(node.path(), offset)) {
      DataOut out = ctx.sendData(length);
      ByteBuffer buf = TransferBuffer.get();
      long left = length;
      while (left > 0) {
        buf.clear();
        if (left < buf.capacity()) buf.limit((int) left);
        int n = in.read(buf);
        if (n < 0) {
          // The file shrank on the device during the transfer. The host reads to the length it
          // was told (and some hosts stall waiting for the rest), so the phase is filled to that
          // length and the response says the data is not the object.
          pad(out, left);
          out.close();
          throw new MtpOperationException(ResponseCode.INCOMPLETE_TRANSFER.value(),
              node + " ended " + left + " bytes early (changed on the device during the transfer); the rest was sent as zeros");
        }
        buf.flip();
        while (buf.hasRemaining()) out.write(buf);
        left -= n;
      }
      out.close();
      return length;
    }
  }
}
