package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.StorageSlot;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Which objects a GetObjectHandles / GetNumObjects / GetObjectPropList request addresses. Folders
 * are listed from their storages only here, when the host asks (lazy enumeration), and every
 * listed folder is handed to its storage as a watch hint so device-side changes there raise events.
 */
final class ObjectSelection {
  static final int ALL = 0xFFFFFFFF;

  private ObjectSelection() {}

  /** The storages for a StorageID parameter (0 and 0xFFFFFFFF = all), or InvalidStorageID. */
  static List<StorageSlot> storages(OperationContext ctx, int storageId) throws MtpOperationException {
    List<StorageSlot> slots = ctx.storages().select(storageId);
    if (slots == null) throw new MtpOperationException(ResponseCode.INVALID_STORAGE_ID.value(), String.format("no storage 0x%08X", storageId));
    return slots;
  }

  /** How long a folder listing is reused by the next request (see {@link io.mtpbridge.core.responder.ObjectIndex#listRecent}). */
  static final long REUSE_NANOS = 1_000_000_000L;

  /** Lists a folder and tells its storage the host is now interested in it. */
  static List<ObjectNode> children(OperationContext ctx, ObjectNode folder) throws IOException {
    List<ObjectNode> list = ctx.objects().listRecent(folder, REUSE_NANOS);
    folder.storage().storage().watch(folder.path());
    return list;
  }

  /**
   * GetObjectHandles semantics: parent 0xFFFFFFFF = the storage root's children, 0 = every object
   * in the storage(s), a handle = that folder's children; format 0 = any.
   */
  static List<ObjectNode> select(OperationContext ctx, int storageId, int format, int parent) throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    if (parent != 0 && parent != ALL) {
      ObjectNode folder = ctx.objects().get(parent);
      if (storageId != 0 && storageId != ALL && storageId != folder.storageId()) {
        throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), "parent lies in another storage");
      }
      if (!folder.isFolder()) throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), folder + " is not a folder");
      filter(children(ctx, folder), format, out);
      return out;
    }
    for (StorageSlot slot : storages(ctx, storageId)) {
      ObjectNode root = ctx.objects().root(slot);
      if (parent == ALL) {
        filter(children(ctx, root), format, out);
      } else {
        descendants(ctx, root, format, out);
      }
    }
    return out;
  }

  /** Every object below {@code folder}, depth first, filtered by format. */
  static void descendants(OperationContext ctx, ObjectNode folder, int format, List<ObjectNode> out) throws IOException {
    Deque<ObjectNode> todo = new ArrayDeque<>();
    todo.push(folder);
    while (!todo.isEmpty()) {
      ObjectNode f = todo.pop();
      List<ObjectNode> kids = children(ctx, f);
      for (ObjectNode n : kids) {
        if (matches(n, format)) out.add(n);
        if (n.isFolder()) todo.push(n);
      }
    }
  }

  private static void filter(List<ObjectNode> nodes, int format, List<ObjectNode> out) {
    for (ObjectNode n : nodes) if (matches(n, format)) out.add(n);
  }

  static boolean matches(ObjectNode n, int format) {
    return format == 0 || format == ALL || n.formatCode() == format;
  }
}
