package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.List;

/**
 * Object work several operations share (rename, delete trees, copy trees, resolve a parent), kept
 * in one place so every path applies the same checks and keeps the handle index and the echo
 * filter in step with the storage.
 */
public final class ObjectActions {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ObjectActions.class);

  private ObjectActions() {}

  /** The format code of an object: the storage's choice, Association for folders, else by extension. */
  public static int formatOf(ObjectMetadata m) {
    if (m.formatCode() != 0) return m.formatCode();
    if (m.folder()) return ObjectFormat.ASSOCIATION.value();
    return ObjectFormat.forFileName(m.name()).value();
  }

  /**
   * The object with its metadata as the storage has it (read again unless it was read less than a
   * second ago: see {@link ObjectIndex#recentMetadata}).
   */
  public static ObjectView view(OperationContext ctx, ObjectNode node) throws IOException {
    ObjectMetadata m = ctx.objects().recentMetadata(node);
    return new ObjectView(node, m, formatOf(m));
  }

  static void noteHostChange(OperationContext ctx, ObjectNode node, ObjectPath path) {
    Session s = ctx.session();
    if (s != null) s.hostChanged(node.storageId(), path);
  }

  /** Renames {@code node} in place (ObjectFileName set by the host). */
  public static void rename(OperationContext ctx, ObjectNode node, String newName) throws IOException {
    ObjectNames.validate(newName);
    node.storage().requireWritable();
    ObjectPath old = node.path();
    if (old.name().equals(newName)) return;
    noteHostChange(ctx, node, old);
    noteHostChange(ctx, node, old.parent().child(newName));
    ObjectMetadata m = node.storage().storage().rename(old, newName);
    ctx.objects().rename(node, m);
    movedReferences(ctx, node.storageId(), old, node.storageId(), node.path());
  }

  /** Object references follow an object (and what is inside it) the host renamed or moved. */
  public static void movedReferences(OperationContext ctx, int fromStorage, ObjectPath from, int toStorage, ObjectPath to) {
    ObjectReferences refs = ctx.references();
    if (refs != null) refs.moved(new ObjectReferences.Ref(fromStorage, from), new ObjectReferences.Ref(toStorage, to));
  }

  /** Applies a DateModified the host set. */
  public static void setModified(OperationContext ctx, ObjectNode node, Instant when) throws IOException {
    node.storage().requireWritable();
    noteHostChange(ctx, node, node.path());
    ObjectMetadata m = node.storage().storage().setModified(node.path(), when);
    ctx.objects().updated(node, m);
  }

  /**
   * The folder node a new object goes into: parent handle 0 or 0xFFFFFFFF is the storage root
   * (libmtp and Windows use either). Storage 0 picks the first storage.
   */
  public static ObjectNode resolveParent(OperationContext ctx, int storageId, int parentHandle) throws IOException {
    StorageSlot slot;
    if (parentHandle != 0 && parentHandle != 0xFFFFFFFF) {
      ObjectNode parent = ctx.objects().get(parentHandle);
      if (storageId != 0 && storageId != 0xFFFFFFFF && storageId != parent.storageId()) {
        throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), "parent lies in another storage");
      }
      if (!parent.isFolder()) throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), parent + " is not a folder");
      return parent;
    }
    if (storageId == 0 || storageId == 0xFFFFFFFF) {
      List<StorageSlot> all = ctx.storages().all();
      if (all.isEmpty()) throw new MtpOperationException(ResponseCode.INVALID_STORAGE_ID.value(), "no storage");
      slot = all.get(0);
    } else {
      slot = ctx.storages().get(storageId);
      if (slot == null) throw new MtpOperationException(ResponseCode.INVALID_STORAGE_ID.value(), String.format("no storage 0x%08X", storageId));
    }
    return ctx.objects().root(slot);
  }

  /**
   * Deletes {@code node} and, for a folder, everything below it, bottom-up. Protected objects and
   * objects the storage refuses are kept (and their folders with them).
   *
   * @return true when everything was deleted, false for a partial deletion
   */
  public static boolean deleteTree(OperationContext ctx, ObjectNode node) throws IOException {
    node.storage().requireWritable();
    ctx.checkCancelled(); // a big tree goes object by object; the host may cancel in between
    boolean complete = true;
    if (node.isFolder()) {
      for (ObjectNode child : ctx.objects().list(node)) {
        if (!deleteTree(ctx, child)) complete = false;
      }
      if (!complete) return false;
    }
    ObjectMetadata m;
    try {
      m = ctx.objects().refresh(node);
    } catch (StorageException e) {
      if (e.error() != StorageError.NOT_FOUND) throw e;
      return true; // already gone
    }
    if (m.writeProtected()) return false;
    ObjectPath path = node.path();
    noteHostChange(ctx, node, path);
    try {
      node.storage().storage().delete(path);
    } catch (StorageException e) {
      if (e.error() == StorageError.NOT_FOUND) {
        discardEdit(ctx, node);
        ctx.objects().remove(node);
        return true;
      }
      if (e.error() == StorageError.WRITE_PROTECTED || e.error() == StorageError.NOT_EMPTY || e.error() == StorageError.ACCESS_DENIED) {
        return false;
      }
      throw e;
    }
    discardEdit(ctx, node);
    ctx.objects().remove(node);
    ObjectReferences refs = ctx.references();
    if (refs != null) refs.removed(new ObjectReferences.Ref(node.storageId(), path));
    return true;
  }

  /** A deleted object's open edit ends without commit: EndEditObject must not bring the file back. */
  private static void discardEdit(OperationContext ctx, ObjectNode node) {
    Session s = ctx.session();
    ObjectEditor editor = s == null ? null : s.editors().remove(node.handle());
    if (editor == null) return;
    try {
      editor.close();
    } catch (IOException e) {
      log.warn("discarding the edit of deleted {} failed: {}", node, e.toString());
    }
  }

  /**
   * Copies {@code node} (a whole tree for a folder) into {@code target}, through the storage SPI so
   * it works between any two storages. Streams, never buffers a whole object.
   *
   * @return the handle of the copy
   */
  public static ObjectNode copyTree(OperationContext ctx, ObjectNode node, ObjectNode target) throws IOException {
    if (node.isFolder() && ctx.objects().isWithin(target, node)) {
      throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), "cannot copy a folder into itself");
    }
    target.storage().requireWritable();
    ctx.checkCancelled(); // a big tree goes object by object; the host may cancel in between
    ObjectMetadata src = ctx.objects().refresh(node);
    Storage to = target.storage().storage();
    ObjectPath targetPath = target.path();
    ObjectPath copyPath = targetPath.child(src.name());
    noteHostChange(ctx, target, copyPath);
    if (src.folder()) {
      ObjectMetadata made = to.createFolder(targetPath, new NewObject(src.name(), true, 0, formatOf(src), src.created(), src.modified()));
      ObjectNode copy = ctx.objects().add(target, made, 0);
      for (ObjectNode child : ctx.objects().list(node)) copyTree(ctx, child, copy);
      return copy;
    }
    NewObject spec = new NewObject(src.name(), false, src.size(), formatOf(src), src.created(), src.modified());
    try (Upload up = to.beginUpload(targetPath, spec);
         ReadableByteChannel in = node.storage().storage().openRead(node.path(), 0)) {
      ByteBuffer buf = TransferBuffer.get();
      while (in.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) up.write(buf);
        buf.clear();
        ctx.checkCancelled(); // and within a big file (the upload is discarded)
      }
      ObjectMetadata made = up.commit();
      return ctx.objects().add(target, made, 0);
    }
  }
}
