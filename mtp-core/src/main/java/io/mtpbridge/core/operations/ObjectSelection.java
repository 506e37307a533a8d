package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectIndex;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.StorageSlot;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.StorageException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which objects a GetObjectHandles / GetNumObjects / GetObjectPropList request addresses. Folders
 * are listed from their storages only here, when the host asks (lazy enumeration), and every
 * listed folder is handed to its storage as a watch hint so device-side changes there raise events.
 */
final class ObjectSelection {
  private static final Logger log = LoggerFactory.getLogger(ObjectSelection.class);
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
   * GetObjectHandles semantics for a folder: parent 0xFFFFFFFF = the storage roots' children, a
   * handle = that folder's children; format 0 = any. (Parent 0, every object, is walked: see
   * {@link #walkListing}.)
   */
  static int[] selectHandles(OperationContext ctx, int storageId, int format, int parent) throws IOException {
    if (parent == 0) throw new IllegalArgumentException("every object is walked, not collected");
    if (parent != ALL) {
      ObjectNode folder = ctx.objects().get(parent);
      if (storageId != 0 && storageId != ALL && storageId != folder.storageId()) {
        throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), "parent lies in another storage");
      }
      if (!folder.isFolder()) throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), folder + " is not a folder");
      return childHandles(ctx, folder, format);
    }
    int[] out = new int[0];
    for (StorageSlot slot : storages(ctx, storageId)) {
      int[] more = childHandles(ctx, ctx.objects().root(slot), format);
      int at = out.length;
      out = java.util.Arrays.copyOf(out, at + more.length);
      System.arraycopy(more, 0, out, at, more.length);
    }
    return out;
  }

  /** The handles of a folder's children (of {@code format}), telling its storage the host is now interested in it. */
  private static int[] childHandles(OperationContext ctx, ObjectNode folder, int format) throws IOException {
    int[] handles = ctx.objects().listRecentHandles(folder, REUSE_NANOS, format);
    folder.storage().storage().watch(folder.path());
    return handles;
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

  /**
   * The objects a GetObjectPropList request addresses (see {@link #propListScope}), in answer
   * order, with the metadata just read, for every scope but {@link PropListScope#EVERY_OBJECT}
   * (which {@link GetObjectPropList} streams with {@link #walkListing} and {@link #walkKnown}).
   */
  static List<ObjectView> propListViews(OperationContext ctx, PropListScope scope, int handle, int format) throws IOException {
    List<ObjectView> out = new ArrayList<>();
    switch (scope) {
      case ROOT_CHILDREN:
        for (StorageSlot slot : storages(ctx, 0)) childViews(ctx, ctx.objects().root(slot), format, out);
        return out;
      case OBJECT: {
        ObjectView v = ObjectActions.view(ctx, ctx.objects().get(handle));
        if (matches(v.formatCode(), format)) out.add(v);
        return out;
      }
      case CHILDREN_AND_OBJECT: {
        ObjectNode node = ctx.objects().get(handle);
        if (!node.isFolder()) {
          throw new MtpOperationException(ResponseCode.INVALID_OBJECT_HANDLE.value(), node + " is a file: it has no children to list");
        }
        childViews(ctx, node, format, out);
        ObjectView self = ObjectActions.view(ctx, node);
        if (matches(self.formatCode(), format)) out.add(self);
        return out;
      }
      default:
        throw new IllegalArgumentException(scope + " is streamed, not collected");
    }
  }

  private static void childViews(OperationContext ctx, ObjectNode folder, int format, List<ObjectView> out) throws IOException {
    ObjectIndex.Listing l = ctx.objects().listRecentWithMetadata(folder, REUSE_NANOS);
    folder.storage().storage().watch(folder.path());
    for (int i = 0; i < l.size(); i++) {
      ObjectMetadata m = l.metadata(i);
      int f = ObjectActions.formatOf(m);
      if (matches(f, format)) out.add(new ObjectView(l.node(i), m, f));
    }
  }

  // ---- every object, folder by folder ----

  /**
   * Folders a walk of every object starts watching, per storage. A host that lists everything
   * (libmtp's device open) is not opening each folder, and a watch per folder of a big tree would
   * exhaust the kernel's inotify limit; folders the host opens one by one are watched anyway.
   */
  static final int WALK_WATCHES = 256;

  /** Visits one folder of a walk with what a fresh listing of it found. */
  interface ListedFolder {
    void visit(ObjectNode folder, ObjectIndex.Listing listing) throws IOException;
  }

  /** Visits one folder of a walk with the children the index knows (copied out of it). */
  interface KnownFolder {
    void visit(ObjectNode folder, ObjectIndex.Children children) throws IOException;
  }

  /**
   * Lists every folder of the storages afresh, depth first, one at a time: what is held is the
   * folder being visited and the folders still to visit, never the whole tree's objects. A folder
   * that vanished meanwhile is left out; so is one the storage refuses to list (its children),
   * whose name goes into the returned set so that {@link #walkKnown} leaves out the same.
   * Callers that walk twice hold {@link ObjectIndex#walkLock()} across both walks.
   */
  static Set<ObjectNode> walkListing(OperationContext ctx, List<StorageSlot> slots, ListedFolder visitor) throws IOException {
    Set<ObjectNode> skipped = new HashSet<>();
    for (StorageSlot slot : slots) {
      int watches = 0;
      Deque<ObjectNode> todo = new ArrayDeque<>();
      todo.push(ctx.objects().root(slot));
      while (!todo.isEmpty()) {
        ObjectNode f = todo.pop();
        ObjectIndex.Listing l;
        try {
          l = ctx.objects().listWithMetadata(f);
        } catch (StorageException e) {
          if (f.isRoot()) throw e;
          log.info("leaving out the contents of {}: {}", f, e.getMessage());
          skipped.add(f);
          continue;
        }
        if (watches++ < WALK_WATCHES) slot.storage().watch(f.path());
        visitor.visit(f, l);
        for (int i = 0; i < l.size(); i++) if (l.metadata(i).folder()) todo.push(l.node(i));
      }
    }
    return skipped;
  }

  /**
   * Visits the folders {@link #walkListing} visited, with the children the index holds (no storage
   * access): the second pass of a request that must count before it answers.
   */
  static void walkKnown(OperationContext ctx, List<StorageSlot> slots, Set<ObjectNode> skipped, KnownFolder visitor) throws IOException {
    for (StorageSlot slot : slots) {
      Deque<ObjectNode> todo = new ArrayDeque<>();
      todo.push(ctx.objects().root(slot));
      while (!todo.isEmpty()) {
        ObjectNode f = todo.pop();
        if (skipped.contains(f)) continue;
        ObjectIndex.Children c = ctx.objects().snapshot(f);
        if (c == null) continue;
        visitor.visit(f, c);
        for (int j = 0; j < c.size(); j++) if (c.folders[j] && c.folderNodes[j] != null) todo.push(c.folderNodes[j]);
      }
    }
  }

  /** Asks the node's format only when there is a format to match (each ask is a lookup in the index). */
  static boolean matches(ObjectNode n, int format) { return format == 0 || format == ALL || n.formatCode() == format; }

  static boolean matches(int objectFormat, int format) { return format == 0 || format == ALL || objectFormat == format; }
}
