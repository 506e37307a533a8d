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
import java.nio.channels.SeekableByteChannel;

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
   * Sends the whole object. Its length is that of the file actually opened, not of the one a stat
   * saw a moment before: a file replaced on the device in between (written aside and renamed over
   * it, as status files, editors and databases do) is sent whole with its own length, instead of
   * cut to the old length or padded and failed as IncompleteTransfer.
   */
  static void sendWhole(OperationContext ctx, ObjectNode node, ObjectMetadata m) throws IOException {
    ObjectEditor editor = Edits.openOn(ctx, node.handle());
    if (editor != null) {
      send(ctx, node, 0, editor.size());
      return;
    }
    try (ReadableByteChannel in = node.storage().storage().openRead(node.path(), 0)) {
      long length = in instanceof SeekableByteChannel opened ? opened.size() : m.size();
      copy(ctx, node, in, length);
    }
  }

  /**
   * Sends {@code length} bytes of the object from {@code offset}; returns the bytes sent. While
   * the host has an edit open on the object, it reads the edited content (what it wrote so far).
   */
  static long send(OperationContext ctx, ObjectNode node, long offset, long length) throws IOException {
    ObjectEditor editor = Edits.openOn(ctx, node.handle());
    try (ReadableByteChannel in = editor != null ? editor.openRead(offset) : node.storage().storage().openRead(node.path(), offset)) {
      copy(ctx, node, in, length);
      return length;
    }
  }

  private static void copy(OperationContext ctx, ObjectNode node, ReadableByteChannel in, long length) throws IOException {
    DataOut out = ctx.sendData(length);
    long moved = out.transferFrom(in, length, TransferBuffer.get());
    if (moved < length) {
      // The file shrank on the device during the transfer. The host reads to the length it
      // was told (and some hosts stall waiting for the rest), so the phase is filled to that
      // length and the response says the data is not the object.
      long left = length - moved;
      pad(out, left);
      out.close();
      throw new MtpOperationException(ResponseCode.INCOMPLETE_TRANSFER.value(),
          node + " ended " + left + " bytes early (changed on the device during the transfer); the rest was sent as zeros");
    }
    out.close();
  }
}
