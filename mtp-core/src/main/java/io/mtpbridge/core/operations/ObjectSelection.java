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

  /**
   * What a GetObjectPropList (handle, depth) request addresses, read the way Android's responder
   * reads it (libmtp, gvfs, KDE and Windows are tuned against that one):
   *
   * <table>
   *   <tr><th>handle</th><th>depth 0</th><th>depth 1</th><th>depth 0xFFFFFFFF</th></tr>
   *   <tr><td>0</td><td>root children</td><td>root children</td><td>every object</td></tr>
   *   <tr><td>0xFFFFFFFF</td><td>every object</td><td>root children</td><td>every object</td></tr>
   *   <tr><td>an object</td><td>the object</td><td>its children, then the object itself
   *       (InvalidObjectHandle for a file)</td><td>SpecificationByDepthUnsupported</td></tr>
   * </table>
   *
   * Other depths are SpecificationByDepthUnsupported. "Root children" are the children of every
   * storage's root. The format filter applies to every object listed, the object itself included.
   */
  enum PropListScope { EVERY_OBJECT, ROOT_CHILDREN, OBJECT, CHILDREN_AND_OBJECT }

  static PropListScope propListScope(int handle, int depth) throws MtpOperationException {
    boolean rootHandle = handle == 0 || handle == ALL;
    if (depth == ALL && rootHandle) return PropListScope.EVERY_OBJECT;
    if (depth != 0 && depth != 1) {
      throw new MtpOperationException(ResponseCode.SPECIFICATION_BY_DEPTH_UNSUPPORTED.value(),
          "depth " + Integer.toUnsignedString(depth) + (depth == ALL ? " below one object" : ""));
    }
    if (handle == ALL) return depth == 0 ? PropListScope.EVERY_OBJECT : PropListScope.ROOT_CHILDREN;
    if (handle == 0) return PropListScope.ROOT_CHILDREN;
    return depth == 0 ? PropListScope.OBJECT : PropListScope.CHILDREN_AND_OBJECT;
  }

  /** The objects a GetObjectPropList request addresses (see {@link #propListScope}), in answer order. */
  static List<ObjectNode> propListObjects(OperationContext ctx, int handle, int format, int depth) throws IOException {
    PropListScope scope = propListScope(handle, depth);
    switch (scope) {
      case EVERY_OBJECT:
        return select(ctx, 0, format, 0);
      case ROOT_CHILDREN:
        return select(ctx, 0, format, ALL);
      case OBJECT: {
        ObjectNode node = ctx.objects().get(handle);
        ObjectActions.view(ctx, node); // fresh metadata for a single object
        return matches(node, format) ? List.of(node) : List.of();
      }
      default: {
        ObjectNode node = ctx.objects().get(handle);
        if (!node.isFolder()) {
          throw new MtpOperationException(ResponseCode.INVALID_OBJECT_HANDLE.value(), node + " is a file: it has no children to list");
        }
        List<ObjectNode> out = new ArrayList<>();
        filter(children(ctx, node), format, out);
        if (matches(node, format)) out.add(node);
        return out;
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
