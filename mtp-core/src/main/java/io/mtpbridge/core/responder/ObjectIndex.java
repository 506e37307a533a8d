package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The map between handles and storage objects.
 *
 * <p>Handles are handed out from a counter that never goes back, so a handle is never reused for
 * the life of the responder, and a handle keeps naming its object across sessions (hosts reuse
 * handles they listed in an earlier session) until the object is gone; lookup is a hash map
 * (constant time). Folders are listed only when the
 * host asks for their children (lazy enumeration: opening a session over a million files touches
 * none). A node keeps its handle when the host renames or moves it, and each listing reconciles the
 * folder's nodes with what the storage holds now (new names get new handles, vanished ones are
 * dropped; an object renamed on the device, recognised by its persistent key and creation time,
 * keeps its handle). A node whose object turns out to be gone (or replaced by another kind of
 * object) when it is next read is dropped then. All methods are safe to call from the protocol and
 * event threads.
 */
public final class ObjectIndex {
  private final Map<Integer, ObjectNode> byHandle = new HashMap<>();
  private final Map<Integer, ObjectNode> roots = new HashMap<>();
  private int lastHandle;
  private boolean damaged;

  public ObjectIndex() {}

  /** For tests: an index whose handle counter starts at {@code lastHandle}. */
  ObjectIndex(int lastHandle) { this.lastHandle = lastHandle; }

  /**
   * The node for {@code handle}, or an InvalidObjectHandle error. Handle 0 and 0xFFFFFFFF are never
   * objects.
   */
  public synchronized ObjectNode get(int handle) throws MtpOperationException {
    ObjectNode n = byHandle.get(handle);
    if (n == null) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_HANDLE.value(), String.format("no object with handle 0x%08X", handle));
    return n;
  }

  /** The node for {@code handle}, or null. */
  public synchronized ObjectNode find(int handle) { return byHandle.get(handle); }

  /** The pseudo-node for a storage's root folder (handle 0, not an object). */
  public synchronized ObjectNode root(StorageSlot slot) {
    return roots.computeIfAbsent(slot.id(), id -> new ObjectNode(0, slot, null, ObjectMetadata.folder("", null)));
  }

  /** Reserves a fresh handle (for SendObjectInfo, before the object exists). */
  public synchronized int reserveHandle() {
    if (lastHandle == 0xFFFFFFFE) throw new IllegalStateException("handle space exhausted");
    return ++lastHandle;
  }

  public synchronized int size() { return byHandle.size(); }

  /**
   * Lists {@code folder} from its storage and reconciles: existing names keep their handles and get
   * fresh metadata, new names get handles, vanished names are dropped with their subtrees.
   */
  public List<ObjectNode> list(ObjectNode folder) throws IOException { return list(folder, null); }

  /**
   * {@link #list(ObjectNode)}, keeping known children the listing no longer shows when
   * {@code keepVanished} says so: the event thread re-reads a folder while the host is moving or
   * deleting something in it, and the protocol thread updates the index for that right after the
   * storage did the work (dropping the node here would invalidate the handle the host holds).
   */
  public List<ObjectNode> list(ObjectNode folder, java.util.function.Predicate<ObjectNode> keepVanished) throws IOException {
    if (!folder.isFolder()) throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), folder + " is not a folder");
    ObjectPath path = folder.path();
    List<ObjectMetadata> found = new ArrayList<>();
    try (Stream<ObjectMetadata> s = folder.storage.storage().list(path)) {
      // A storage that offers a name the host could not address (a virtual one, a foreign file
      // system) is not allowed to put it into the tree.
      s.filter(m -> ObjectNames.isValid(m.name())).forEach(found::add);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // a lazy listing fails inside the stream
    }
    synchronized (this) {
      if (folder.removed) throw new StorageException(StorageError.NOT_FOUND, folder + " was removed");
      // The new state is built aside (the bulk of the work and of the memory), then swapped in, so
      // a failure part-way (an OutOfMemoryError on a huge folder, say) leaves the index as it was.
      Listing next = reconcile(folder, found, keepVanished);
      commit(folder, next);
      return new ArrayList<>(next.now.values());
    }
  }

  /** A folder's reconciled state, built without touching the index (handles are reserved, not used). */
  private static final class Listing {
    LinkedHashMap<String, ObjectNode> now;
    final List<ObjectNode> added = new ArrayList<>();
    /** Nodes that stay, with what they become: new name (renamed on the device), metadata, format. */
    final List<ObjectNode> kept = new ArrayList<>();
    final List<String> keptNames = new ArrayList<>();
    final List<Object> keptMetadata = new ArrayList<>();
    final List<Integer> keptFormats = new ArrayList<>();
    final List<ObjectNode> gone = new ArrayList<>();
  }

  private Listing reconcile(ObjectNode folder, List<ObjectMetadata> found, java.util.function.Predicate<ObjectNode> keepVanished) {
    Listing l = new Listing();
    Map<String, ObjectNode> old = folder.children;
    Map<String, ObjectNode> unmatched = old == null ? new HashMap<>() : new LinkedHashMap<>(old);
    ObjectNode[] nodes = new ObjectNode[found.size()];
    int missing = 0;
    for (int i = 0; i < nodes.length; i++) {
      ObjectMetadata m = found.get(i);
      ObjectNode n = unmatched.remove(m.name());
      if (n != null && n.folder != m.folder()) {
        l.gone.add(n); // a file replaced by a folder (or back) is a new object
        n = null;
      }
      if (n == null) missing++;
      nodes[i] = n;
    }
    if (missing > 0 && !unmatched.isEmpty()) renamedOnDevice(found, nodes, unmatched);
    l.now = new LinkedHashMap<>(Math.max(16, found.size() * 4 / 3 + 1));
    for (int i = 0; i < nodes.length; i++) {
      ObjectMetadata m = found.get(i);
      ObjectNode n = nodes[i];
      if (n == null) {
        n = new ObjectNode(reserveHandle(), folder.storage, folder, m);
        l.added.add(n);
      } else {
        l.kept.add(n);
        l.keptNames.add(m.name());
        l.keptMetadata.add(ObjectNode.prepareMetadata(m));
        l.keptFormats.add(ObjectActions.formatOf(m));
      }
      l.now.put(m.name(), n);
    }
    for (ObjectNode n : unmatched.values()) {
      if (keepVanished != null && keepVanished.test(n)) l.now.put(n.name, n);
      else l.gone.add(n);
    }
    return l;
  }

  private void commit(ObjectNode folder, Listing l) {
    int put = 0;
    try {
      for (ObjectNode n : l.added) {
        byHandle.put(n.handle, n);
        put++;
      }
    } catch (RuntimeException | Error e) {
      for (int i = 0; i < put; i++) byHandle.remove(l.added.get(i).handle);
      throw e;
    }
    // From here nothing allocates but a few iterators; should even that fail, the index may be
    // inconsistent and says so (the responder then stops rather than serve wrong handles).
    try {
      for (int i = 0; i < l.kept.size(); i++) {
        ObjectNode n = l.kept.get(i);
        n.name = l.keptNames.get(i);
        n.applyMetadata(l.keptMetadata.get(i), l.keptFormats.get(i));
      }
      for (ObjectNode g : l.gone) drop(g);
      folder.children = l.now;
      folder.listedAtNanos = System.nanoTime();
    } catch (RuntimeException | Error e) {
      damaged = true;
      throw e;
    }
  }

  /**
   * True when an update of the index failed half-way (which the listing code is built to avoid):
   * handles may then name the wrong objects, so the responder stops serving and the process ends
   * (a service manager restarts it with a fresh index).
   */
  public synchronized boolean isDamaged() { return damaged; }

  /**
   * A rename keeps the inode and the creation time, and a file's size and modification time. File
   * systems reuse the inode of a deleted object at once, so the key alone would take a new object
   * for the deleted one; the times tell them apart. (A folder's modification time changes with its
   * content, so folders are matched by creation time only; where the file system keeps no creation
   * time the storage reports the modification time, and a renamed folder that changed gets a new
   * handle, which is safe.)
   */
  private static boolean sameObjectRenamed(ObjectMetadata before, ObjectMetadata now) {
    if (before.folder() != now.folder() || before.created() == null || !before.created().equals(now.created())) return false;
    return now.folder() || (before.size() == now.size() && java.util.Objects.equals(before.modified(), now.modified()));
  }

  /**
   * Matches names that vanished from a folder with names that appeared, by the storage's
   * persistent key (an inode): such an object was renamed on the device and keeps its handle.
   * Keys are compared only within the folder, where a shared key cannot be a hard link to a
   * file that is still listed under its old name (that name would have matched first).
   */
  private static void renamedOnDevice(List<ObjectMetadata> found, ObjectNode[] nodes, Map<String, ObjectNode> vanished) {
    Map<String, ObjectNode> byKey = new HashMap<>();
    for (ObjectNode n : vanished.values()) {
      ObjectMetadata known = n.metadata(); // held softly: when reclaimed, the object gets a new handle (safe)
      String key = known == null ? null : known.persistentKey();
      if (key != null) byKey.put(key, n);
    }
    if (byKey.isEmpty()) return;
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) continue;
      ObjectMetadata m = found.get(i);
      if (m.persistentKey() == null) continue;
      ObjectNode n = byKey.get(m.persistentKey());
      ObjectMetadata before = n == null ? null : n.metadata();
      if (before == null || !sameObjectRenamed(before, m)) continue;
      byKey.remove(m.persistentKey());
      vanished.remove(n.name);
      nodes[i] = n; // the commit gives it its new name
    }
  }

  /**
   * The folder's children from a listing younger than {@code maxAgeNanos}, else a fresh listing.
   * A host typically asks GetObjectHandles and then GetObjectPropList for the same folder; the
   * second need not read the directory again. Changes in between reach the index through the
   * storage's change reports (the event thread), so the reuse window only bounds staleness for
   * storages that report nothing.
   */
  public List<ObjectNode> listRecent(ObjectNode folder, long maxAgeNanos) throws IOException {
    synchronized (this) {
      if (folder.children != null && !folder.removed && System.nanoTime() - folder.listedAtNanos < maxAgeNanos) {
        return new ArrayList<>(folder.children.values());
      }
    }
    return list(folder);
  }

  /** The children known from the last listing, without touching the storage (null if never listed). */
  public synchronized List<ObjectNode> knownChildren(ObjectNode folder) {
    return folder.children == null ? null : new ArrayList<>(folder.children.values());
  }

  /** True once the host has listed {@code folder}. */
  public synchronized boolean isListed(ObjectNode folder) { return folder.children != null; }

  /**
   * Refreshes a node's metadata from its storage. When the object is gone (or its name now holds
   * a different kind of object) the node is dropped, so its handle is invalid from now on, and
   * {@link StorageError#NOT_FOUND} is thrown. This is how handles of objects deleted while no
   * session watched the storage disappear.
   */
  public ObjectMetadata refresh(ObjectNode node) throws IOException {
    ObjectMetadata m;
    try {
      m = node.storage.storage().stat(node.path());
    } catch (StorageException e) {
      // Gone while nobody watched (between sessions, say): the handle dies with it.
      if (e.error() == StorageError.NOT_FOUND && !node.isRoot()) remove(node);
      throw e;
    }
    synchronized (this) {
      if (m.folder() != node.folder && !node.isRoot()) {
        remove(node);
        throw new StorageException(StorageError.NOT_FOUND, node + " was replaced by another object");
      }
      node.metadata(m);
    }
    return m;
  }

  /**
   * Records an object the host just created (or one that appeared on the device), under a given
   * handle (a reserved one) or a new one when {@code handle} is 0.
   */
  public synchronized ObjectNode add(ObjectNode parent, ObjectMetadata m, int handle) {
    if (parent.children == null) parent.children = new LinkedHashMap<>();
    ObjectNode existing = parent.children.get(m.name());
    if (existing != null) {
      if (existing.folder == m.folder() && (handle == 0 || existing.handle == handle)) {
        existing.metadata(m);
        return existing;
      }
      // Another kind of object now, or the host was promised another handle for this object
      // (SendObjectInfo's, while a listing of the folder raced with the upload's commit): the
      // promised handle wins.
      drop(existing);
    }
    ObjectNode n = new ObjectNode(handle == 0 ? reserveHandle() : handle, parent.storage, parent, m);
    byHandle.put(n.handle, n);
    parent.children.put(m.name(), n);
    return n;
  }

  /** Forgets {@code node} and everything below it (the object was deleted). */
  public synchronized void remove(ObjectNode node) {
    if (node.parent != null && node.parent.children != null) node.parent.children.remove(node.name);
    drop(node);
  }

  /** The node was renamed in place: it keeps its handle. */
  public synchronized void rename(ObjectNode node, ObjectMetadata m) {
    if (node.parent != null && node.parent.children != null) {
      node.parent.children.remove(node.name);
      ObjectNode clash = node.parent.children.get(m.name());
      if (clash != null) drop(clash);
      node.parent.children.put(m.name(), node);
    }
    node.name = m.name();
    node.metadata(m);
  }

  /** The node was moved within its storage: it keeps its handle (and its subtree theirs). */
  public synchronized void move(ObjectNode node, ObjectNode newParent, ObjectMetadata m) {
    if (node.parent != null && node.parent.children != null) node.parent.children.remove(node.name);
    node.parent = newParent;
    node.name = m.name();
    node.metadata(m);
    if (newParent.children != null) {
      ObjectNode clash = newParent.children.put(m.name(), node);
      if (clash != null && clash != node) drop(clash);
    }
  }

  /**
   * The known node at {@code path} in {@code slot}, walking only folders already listed (the host
   * cannot care about objects it never saw), or null.
   */
  public synchronized ObjectNode lookup(StorageSlot slot, ObjectPath path) {
    ObjectNode n = roots.get(slot.id());
    if (n == null) return null;
    for (String name : path.names()) {
      if (n.children == null) return null;
      n = n.children.get(name);
      if (n == null) return null;
    }
    return n;
  }

  /**
   * The node at {@code path}, listing the folders on the way that were not listed yet (a host that
   * reconnects asks for references to objects in folders it has not opened); null when there is
   * no such object.
   */
  public ObjectNode resolve(StorageSlot slot, ObjectPath path) throws IOException {
    ObjectNode n = root(slot);
    for (String name : path.names()) {
      ObjectNode next = null;
      synchronized (this) {
        if (n.children != null) next = n.children.get(name);
      }
      if (next == null) {
        // not listed yet, or created since the last listing
        if (!n.isFolder()) return null;
        for (ObjectNode k : list(n)) if (k.name().equals(name)) next = k;
      }
      if (next == null) return null;
      n = next;
    }
    return n;
  }

  /** True when {@code ancestor} is {@code node} or one of its parents. */
  public synchronized boolean isWithin(ObjectNode node, ObjectNode ancestor) {
    for (ObjectNode n = node; n != null; n = n.parent) if (n == ancestor) return true;
    return false;
  }

  /**
   * The folders of {@code slot} the host has listed (so a new session can watch them again), and
   * marks every listing as old: what changed while no session watched is read again on the next
   * request.
   */
  public synchronized List<ObjectPath> listedFoldersForNewSession(StorageSlot slot) {
    List<ObjectPath> out = new ArrayList<>();
    ObjectNode root = roots.get(slot.id());
    if (root == null) return out;
    ArrayDeque<ObjectNode> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      ObjectNode n = todo.pop();
      if (n.children == null) continue;
      n.listedAtNanos = System.nanoTime() - Long.MAX_VALUE / 2;
      out.add(n.path());
      for (ObjectNode c : n.children.values()) if (c.folder) todo.push(c);
    }
    return out;
  }

  /** Forgets every object of a storage (it was removed). */
  public synchronized void forgetStorage(StorageSlot slot) {
    ObjectNode root = roots.remove(slot.id());
    if (root != null) drop(root);
  }

  /** Forgets everything. The handle counter keeps counting. */
  public synchronized void clear() {
    for (ObjectNode n : byHandle.values()) n.removed = true;
    for (ObjectNode r : roots.values()) r.removed = true;
    byHandle.clear();
    roots.clear();
  }

  private void drop(ObjectNode node) {
    node.removed = true;
    if (node.handle != 0) byHandle.remove(node.handle);
    if (node.children != null) {
      for (Iterator<ObjectNode> it = node.children.values().iterator(); it.hasNext(); ) drop(it.next());
    }
  }
}
