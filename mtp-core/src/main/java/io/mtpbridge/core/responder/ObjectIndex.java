package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The map between handles and storage objects.
 *
 * <p>Handles are handed out from a counter that never goes back, so a handle is never reused for
 * the life of the responder, and a handle keeps naming its object across sessions (hosts reuse
 * handles they listed in an earlier session) until the object is gone. Folders are listed only
 * when the host asks for their children (lazy enumeration: opening a session over a million files
 * touches none). A node keeps its handle when the host renames or moves it, and each listing
 * reconciles the folder's children with what the storage holds now (new names get new handles,
 * vanished ones are dropped; an object renamed on the device, recognised by its persistent key and
 * creation time, keeps its handle). A node whose object turns out to be gone (or replaced by
 * another kind of object) when it is next read is dropped then. All methods are safe to call from
 * the protocol and event threads.
 *
 * <p>Memory: a folder is a {@link ObjectNode}; its children are one {@link ChildTable} (about 25
 * bytes plus the name per child) and {@link HandleOwners} finds a handle's folder, so a million
 * listed files take about 40 MB. No metadata is kept (sizes and times are read when asked for),
 * only fingerprints that recognise a renamed object and tell which properties changed.
 *
 * <p>A listing is reconciled aside and swapped in: a failure part-way (an OutOfMemoryError on a
 * huge folder, handle exhaustion) leaves the index as it was. Should the swap itself fail, the index
 * says it is damaged and the responder stops serving (a service manager restarts it).
 */
public final class ObjectIndex {
  private static final long OLD = Long.MAX_VALUE / 2;
  /** In a reconciliation: an old child the listing did not show that stays anyway. */
  private static final int KEEP = -2;
  /** In a reconciliation: an old child whose name now holds another kind of object. */
  private static final int REPLACED = -3;
  /** How long {@link #recentMetadata} reuses what the last read of an object gave. */
  static final long RECENT_NANOS = 1_000_000_000L;
  /** How long {@link #recentMetadata} reuses what the last listing of a folder gave (unless something changed). */
  static final long LISTING_REUSE_NANOS = 5_000_000_000L;

  private final Map<Integer, ObjectNode> roots = new HashMap<>();
  private final Map<Integer, ObjectNode> foldersById = new HashMap<>();
  private final HandleOwners owners = new HandleOwners();
  /** Held while a request walks many folders in two passes, and while device-side changes are applied. */
  private final ReentrantLock walkLock = new ReentrantLock();
  private int lastHandle;
  private int lastFolderId;
  private int objects;
  private boolean damaged;
  // the last object read, for a host that asks GetObjectInfo and GetObjectPropList of it in a row
  private ObjectNode recentNode;
  private ObjectMetadata recentMetadata;
  private long recentAtNanos;
  // the last folder listing, for a host that asks GetObjectHandles and GetObjectPropList of it in a row
  private ObjectNode lastListingFolder;
  private long lastListingAt;
  private java.lang.ref.SoftReference<Listing> lastListing;
  private Map<Integer, Integer> lastListingPositions;

  public ObjectIndex() {}

  /** For tests: an index whose handle counter starts at {@code lastHandle}. */
  ObjectIndex(int lastHandle) { this.lastHandle = lastHandle; }

  /**
   * A lock that keeps the index still between the passes of a request that walks many folders
   * (the count first, then the answer); the event thread applies device-side changes under it.
   */
  public ReentrantLock walkLock() { return walkLock; }

  // ---- finding nodes ----

  /**
   * The node for {@code handle}, or an InvalidObjectHandle error. Handle 0 and 0xFFFFFFFF are never
   * objects.
   */
  public synchronized ObjectNode get(int handle) throws MtpOperationException {
    ObjectNode n = find(handle);
    if (n == null) throw new MtpOperationException(ResponseCode.INVALID_OBJECT_HANDLE.value(), String.format("no object with handle 0x%08X", handle));
    return n;
  }

  /** The node for {@code handle}, or null. */
  public synchronized ObjectNode find(int handle) {
    if (handle == 0 || handle == 0xFFFFFFFF) return null;
    ObjectNode parent = foldersById.get(owners.ownerOf(handle));
    if (parent == null || parent.removed || parent.children == null) return null;
    int i = parent.children.indexOf(handle);
    return i < 0 ? null : nodeAt(parent, i);
  }

  /** The pseudo-node for a storage's root folder (handle 0, not an object). */
  public synchronized ObjectNode root(StorageSlot slot) {
    return roots.computeIfAbsent(slot.id(), id -> registerFolder(new ObjectNode(this, 0, slot, null, "", ++lastFolderId)));
  }

  /** Reserves a fresh handle (for SendObjectInfo, before the object exists). */
  public synchronized int reserveHandle() {
    if (lastHandle == 0xFFFFFFFE) throw new IllegalStateException("handle space exhausted");
    return ++lastHandle;
  }

  /** Objects known (storage roots not counted). */
  public synchronized int size() { return objects; }

  /**
   * The known node at {@code path} in {@code slot}, walking only folders already listed (the host
   * cannot care about objects it never saw), or null.
   */
  public synchronized ObjectNode lookup(StorageSlot slot, ObjectPath path) {
    ObjectNode n = roots.get(slot.id());
    if (n == null) return null;
    for (String name : path.names()) {
      if (!n.folder || n.children == null) return null;
      int i = n.children.indexOfName(name);
      if (i < 0) return null;
      n = nodeAt(n, i);
    }
    return n;
  }

  /**
   * The node at {@code path}, listing the folders on the way that were not listed yet or do not
   * show the name yet (a host that reconnects asks for references to objects in folders it has not
   * opened); null when there is no such object.
   */
  public ObjectNode resolve(StorageSlot slot, ObjectPath path) throws IOException {
    ObjectNode known = lookup(slot, path);
    if (known != null) return known;
    ObjectNode n = root(slot);
    for (String name : path.names()) {
      if (!n.isFolder()) return null;
      ObjectNode next = null;
      for (ObjectNode k : list(n)) {
        if (k.name().equals(name)) {
          next = k;
          break;
        }
      }
      if (next == null) return null;
      n = next;
    }
    return n;
  }

  /** True when {@code ancestor} is {@code node} or one of its parents. */
  public synchronized boolean isWithin(ObjectNode node, ObjectNode ancestor) {
    for (ObjectNode n = node; n != null; n = parentOf(n)) if (n.equals(ancestor)) return true;
    return false;
  }

  // ---- what a node knows (ObjectNode asks here, under this lock) ----

  synchronized String nameOf(ObjectNode n) {
    if (!n.folder) parentOf(n); // reads the current name, if the file is still there
    return n.name;
  }

  /**
   * The handle of the node's folder (0 in a storage root): {@link #parentOf} without reading the
   * name, which a listing's ParentObject of every file need not decode again.
   */
  synchronized int parentHandleOf(ObjectNode n) {
    if (!n.folder) {
      ObjectNode p = foldersById.get(owners.ownerOf(n.handle));
      if (p != null && !p.removed && p.children != null && p.children.indexOf(n.handle) >= 0) n.parent = p;
    }
    return n.parent == null ? 0 : n.parent.handle;
  }

  synchronized ObjectNode parentOf(ObjectNode n) {
    if (n.folder) return n.parent;
    ObjectNode p = foldersById.get(owners.ownerOf(n.handle));
    if (p != null && !p.removed && p.children != null) {
      int i = p.children.indexOf(n.handle);
      if (i >= 0) {
        n.parent = p;
        n.name = p.children.name(i);
      }
    }
    return n.parent;
  }

  synchronized int formatOf(ObjectNode n) {
    ObjectNode p = n.folder ? n.parent : parentOf(n);
    if (p == null || p.children == null) return io.mtpbridge.core.code.ObjectFormat.ASSOCIATION.value();
    int i = p.children.indexOf(n.handle);
    if (i >= 0) return p.children.format(i);
    return n.folder ? io.mtpbridge.core.code.ObjectFormat.ASSOCIATION.value() : io.mtpbridge.core.code.ObjectFormat.UNDEFINED.value();
  }

  synchronized ObjectPath pathOf(ObjectNode node) {
    if (node.isRoot()) return ObjectPath.ROOT;
    ArrayDeque<String> names = new ArrayDeque<>();
    names.addFirst(nameOf(node));
    for (ObjectNode n = parentOf(node); n != null && !n.isRoot(); n = n.parent) names.addFirst(n.name);
    try {
      return ObjectPath.of(names.toArray(String[]::new));
    } catch (StorageException e) {
      throw new IllegalStateException("a node holds an invalid name: " + e.getMessage(), e);
    }
  }

  /** The node for the child in slot {@code i} of {@code folder}'s table. */
  private ObjectNode nodeAt(ObjectNode folder, int i) {
    int h = folder.children.handle(i);
    if (folder.children.isFolder(i)) return folder.subfolders.get(h);
    return new ObjectNode(this, h, folder.storage, folder, folder.children.name(i));
  }

  // ---- listing ----

  /**
   * What a listing found: the children's handles, and the metadata the storage gave for each.
   * A file's node is made when asked for (a view, see {@link ObjectNode}), so a listing holds no
   * object per file beyond its metadata.
   */
  public static final class Listing {
    private final ObjectIndex index;
    private final ObjectNode folder;
    private final int[] handles;
    /** The nodes of the children that are folders, by position; null when none is. */
    private final ObjectNode[] folderNodes;
    private final List<ObjectMetadata> metadata;

    Listing(ObjectIndex index, ObjectNode folder, int[] handles, ObjectNode[] folderNodes, List<ObjectMetadata> metadata) {
      this.index = index;
      this.folder = folder;
      this.handles = handles;
      this.folderNodes = folderNodes;
      this.metadata = java.util.Collections.unmodifiableList(metadata);
    }

    public int size() { return handles.length; }

    public int handle(int i) { return handles[i]; }

    public ObjectMetadata metadata(int i) { return metadata.get(i); }

    public List<ObjectMetadata> metadata() { return metadata; }

    /** The node of child {@code i}: a folder's own node, or a view of a file. */
    public ObjectNode node(int i) {
      ObjectNode f = folderNodes == null ? null : folderNodes[i];
      return f != null ? f : new ObjectNode(index, handles[i], folder.storage, folder, metadata.get(i).name());
    }

    /** Every child's node, in listing order. */
    public List<ObjectNode> nodes() {
      List<ObjectNode> out = new ArrayList<>(handles.length);
      for (int i = 0; i < handles.length; i++) out.add(node(i));
      return out;
    }
  }

  /**
   * Lists {@code folder} from its storage and reconciles: existing names keep their handles, new
   * names get handles, vanished names are dropped with their subtrees.
   */
  public List<ObjectNode> list(ObjectNode folder) throws IOException { return listWithMetadata(folder).nodes(); }

  /**
   * {@link #list(ObjectNode)}, keeping known children the listing no longer shows when
   * {@code keepVanished} says so: the event thread re-reads a folder while the host is moving or
   * deleting something in it, and the protocol thread updates the index for that right after the
   * storage did the work (dropping the node here would invalidate the handle the host holds).
   */
  public List<ObjectNode> list(ObjectNode folder, Predicate<ObjectNode> keepVanished) throws IOException {
    return listWithMetadata(folder, keepVanished).nodes();
  }

  /**
   * {@link #listWithMetadata}, or what the last listing of the same folder gave when that was less
   * than {@code maxAgeNanos} ago and nothing in the folder changed since: a host asks
   * GetObjectHandles and then GetObjectPropList of the folder it opens, and the second need not
   * read the folder again. Only the last listing is kept, and only softly.
   */
  public Listing listRecentWithMetadata(ObjectNode folder, long maxAgeNanos) throws IOException {
    synchronized (this) {
      Listing l = lastListing == null ? null : lastListing.get();
      if (l != null && folder.equals(lastListingFolder) && !folder.removed && folder.listedAtNanos == lastListingAt
          && System.nanoTime() - lastListingAt < maxAgeNanos) {
        return l;
      }
    }
    return listWithMetadata(folder);
  }

  /** {@link #list}, with the metadata of each child as the storage gave it just now. */
  public Listing listWithMetadata(ObjectNode folder) throws IOException { return listWithMetadata(folder, null); }

  private Listing listWithMetadata(ObjectNode folder, Predicate<ObjectNode> keepVanished) throws IOException {
    if (!folder.isFolder()) throw new MtpOperationException(ResponseCode.INVALID_PARENT_OBJECT.value(), folder + " is not a folder");
    ObjectPath path = pathOf(folder);
    synchronized (this) {
      // A listing replaces the last one: holding both at once doubled the live heap of a big
      // folder (a 100,000-file listing is ~20 MB), and the collector copied the old one around.
      lastListing = null;
      lastListingPositions = null;
    }
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
      Reconciled r = reconcile(folder, found, keepVanished);
      commit(folder, r);
      Listing listing = new Listing(this, folder, r.handleOfFound, folderNodes(folder, found, r.handleOfFound), found);
      lastListingFolder = folder;
      lastListingAt = folder.listedAtNanos;
      lastListing = new java.lang.ref.SoftReference<>(listing);
      lastListingPositions = null;
      return listing;
    }
  }

  /** The nodes of the found folders, by position; null when none is a folder. */
  private static ObjectNode[] folderNodes(ObjectNode folder, List<ObjectMetadata> found, int[] handleOfFound) {
    ObjectNode[] out = null;
    for (int k = 0; k < found.size(); k++) {
      if (!found.get(k).folder()) continue;
      if (out == null) out = new ObjectNode[found.size()];
      out[k] = folder.subfolders.get(handleOfFound[k]);
    }
    return out;
  }

  /** A folder's reconciled state, built without touching the index (handles are reserved, not used). */
  private static final class Reconciled {
    ChildTable table;
    Map<Integer, ObjectNode> subfolders;
    int[] handleOfFound;
    final List<ObjectNode> newFolders = new ArrayList<>();
    final List<Integer> newHandles = new ArrayList<>();
    /** Kept folders and the names they get (renamed on the device). */
    final List<ObjectNode> renamedFolders = new ArrayList<>();
    final List<String> renamedFolderNames = new ArrayList<>();
    /** Slots of the old table that are gone. */
    final List<Integer> goneSlots = new ArrayList<>();
  }

  /*
   * Reconciliation runs once per listing over every child, so its steps are small methods with
   * one loop each: the JIT compiles each quickly (one method with every loop had the compiler busy
   * for seconds, loop by loop, during the first listings of a big folder).
   */
  private Reconciled reconcile(ObjectNode folder, List<ObjectMetadata> found, Predicate<ObjectNode> keepVanished) {
    Reconciled r = new Reconciled();
    ChildTable old = folder.children;
    int oldSlots = old == null ? 0 : old.slots();
    // old slot -> index in found, or -1 (not found yet), KEEP, or REPLACED
    int[] foundOfOld = new int[oldSlots];
    java.util.Arrays.fill(foundOfOld, -1);
    int[] oldOfFound = new int[found.size()];
    int missing = matchByName(old, found, foundOfOld, oldOfFound, r.goneSlots);
    Map<String, Integer> unmatched = oldNames(old, foundOfOld);
    boolean[] renamed = null;
    if (missing > 0 && !unmatched.isEmpty()) {
      int[] before = oldOfFound.clone();
      renamedOnDevice(old, found, oldOfFound, foundOfOld, unmatched);
      renamed = new boolean[found.size()];
      for (int k = 0; k < found.size(); k++) renamed[k] = before[k] != oldOfFound[k];
    }
    for (int i : unmatched.values()) {
      if (keepVanished != null && keepVanished.test(nodeAt(folder, i))) foundOfOld[i] = KEEP;
      else r.goneSlots.add(i);
    }
    int kept = 0;
    for (int i = 0; i < oldSlots; i++) if (foundOfOld[i] == KEEP) kept++;
    r.table = new ChildTable(found.size() + kept, nameBytes(found));
    r.subfolders = new HashMap<>();
    r.handleOfFound = new int[found.size()];
    // kept children first, in handle order, then the new ones: the table stays sorted by handle
    keepOld(folder, found, foundOfOld, renamed, r);
    addNew(folder, found, oldOfFound, r);
    return r;
  }

  /**
   * Matches each found name with the old child of that name: {@code foundOfOld} and
   * {@code oldOfFound} get the pairs; an old child whose name now holds another kind of object goes
   * to {@code gone}. Returns how many found names have no old child.
   *
   * <p>A directory lists in the same order as last time unless it changed, and the table holds
   * the children in that order (handles were given in listing order): so the next unmatched old
   * slot is tried first, comparing names without decoding them. Only a name that is not there
   * builds a map of the old names, once; matching then goes on from the slot it found.
   */
  private static int matchByName(ChildTable old, List<ObjectMetadata> found, int[] foundOfOld, int[] oldOfFound, List<Integer> gone) {
    int oldSlots = foundOfOld.length;
    int missing = 0;
    Map<String, Integer> byName = null;
    int next = 0;
    for (int k = 0; k < found.size(); k++) {
      ObjectMetadata m = found.get(k);
      int i = -1;
      if (next < oldSlots && old.isLive(next) && foundOfOld[next] == -1 && old.nameEquals(next, m.name())) {
        i = next;
      } else if (oldSlots > 0) {
        if (byName == null) byName = oldNames(old, foundOfOld);
        Integer hit = byName.get(m.name());
        if (hit != null && foundOfOld[hit] == -1) i = hit;
      }
      if (i >= 0) {
        next = i + 1;
        if (old.isFolder(i) != m.folder()) {
          gone.add(i); // a file replaced by a folder (or back) is a new object
          foundOfOld[i] = REPLACED;
          i = -1;
        } else {
          foundOfOld[i] = k;
        }
      }
      oldOfFound[k] = i;
      if (i < 0) missing++;
    }
    return missing;
  }

  /** About the bytes the found names take in UTF-8 (as long as their UTF-16 for most names). */
  private static int nameBytes(List<ObjectMetadata> found) {
    int n = 0;
    for (ObjectMetadata m : found) n += m.name().length() + 2;
    return n;
  }

  /** Puts the old children that stay (matched, or kept though not found) into the new table, in handle order. */
  private void keepOld(ObjectNode folder, List<ObjectMetadata> found, int[] foundOfOld, boolean[] renamed, Reconciled r) {
    ChildTable old = folder.children;
    ChildTable t = r.table;
    for (int i = 0; i < foundOfOld.length; i++) {
      int k = foundOfOld[i];
      int h = k == KEEP || k >= 0 ? old.handle(i) : 0;
      if (k == KEEP) {
        t.addNamedAs(old, i, h, old.isFolder(i), old.format(i), old.identity(i), old.content(i));
        if (old.isFolder(i)) r.subfolders.put(h, folder.subfolders.get(h));
        continue;
      }
      if (k < 0) continue;
      ObjectMetadata m = found.get(k);
      if (renamed != null && renamed[k]) t.add(h, m.name(), m.folder(), ObjectActions.formatOf(m), identityPrint(m), contentPrint(m));
      else t.addNamedAs(old, i, h, m.folder(), ObjectActions.formatOf(m), identityPrint(m), contentPrint(m));
      r.handleOfFound[k] = h;
      if (m.folder()) keepFolder(folder, h, m, r);
    }
  }

  private static void keepFolder(ObjectNode folder, int h, ObjectMetadata m, Reconciled r) {
    ObjectNode f = folder.subfolders.get(h);
    r.subfolders.put(h, f);
    if (!m.name().equals(f.name)) {
      r.renamedFolders.add(f);
      r.renamedFolderNames.add(m.name());
    }
  }

  /** Gives the found names no old child matched new (reserved) handles, after the old ones. */
  private void addNew(ObjectNode folder, List<ObjectMetadata> found, int[] oldOfFound, Reconciled r) {
    for (int k = 0; k < found.size(); k++) {
      if (oldOfFound[k] >= 0) continue;
      ObjectMetadata m = found.get(k);
      int h = reserveHandle();
      r.table.add(h, m.name(), m.folder(), ObjectActions.formatOf(m), identityPrint(m), contentPrint(m));
      r.handleOfFound[k] = h;
      r.newHandles.add(h);
      if (m.folder()) {
        ObjectNode f = new ObjectNode(this, h, folder.storage, folder, m.name(), ++lastFolderId);
        r.subfolders.put(h, f);
        r.newFolders.add(f);
      }
    }
  }

  /** The names of the live old slots not matched yet, to their slots. */
  private static Map<String, Integer> oldNames(ChildTable old, int[] foundOfOld) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < foundOfOld.length; i++) if (foundOfOld[i] == -1 && old.isLive(i)) out.put(old.name(i), i);
    return out;
  }

  private void commit(ObjectNode folder, Reconciled r) {
    // Allocating steps first: should one fail, what they added is unreachable and harmless (a
    // folder registered under a number no table refers to, a handle placed in a folder that does
    // not hold it).
    for (ObjectNode f : r.newFolders) foldersById.put(f.folderId, f);
    for (int h : r.newHandles) owners.put(h, folder.folderId);
    // From here nothing allocates; should it fail anyway, the index says it is damaged (the
    // responder then stops rather than serve wrong handles).
    try {
      ChildTable old = folder.children;
      int gone = 0;
      for (int i : r.goneSlots) {
        gone++;
        if (old.isFolder(i)) drop(folder.subfolders.get(old.handle(i)));
      }
      for (int i = 0; i < r.renamedFolders.size(); i++) r.renamedFolders.get(i).name = r.renamedFolderNames.get(i);
      folder.children = r.table;
      folder.subfolders = r.subfolders;
      folder.listedAtNanos = System.nanoTime();
      objects += r.newHandles.size() - gone;
      recentNode = null;
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
   * Matches names that vanished from a folder with names that appeared, by the identity
   * fingerprint (the storage's persistent key, an inode, and the creation time) and, for a file,
   * its content fingerprint (size and modification time): such an object was renamed on the
   * device and keeps its handle. File systems reuse the inode of a deleted object at once, so the
   * key alone would take a new object for the deleted one; the times tell them apart. Matches are
   * looked for only within the folder, where a shared key cannot be a hard link to a file that is
   * still listed under its old name (that name would have matched first).
   */
  private static void renamedOnDevice(ChildTable old, List<ObjectMetadata> found, int[] oldOfFound, int[] foundOfOld,
                                      Map<String, Integer> vanished) {
    Map<Integer, Integer> byIdentity = new HashMap<>();
    for (int i : vanished.values()) {
      if (old.identity(i) != 0) byIdentity.putIfAbsent(old.identity(i), i);
    }
    if (byIdentity.isEmpty()) return;
    for (int k = 0; k < found.size(); k++) {
      if (oldOfFound[k] >= 0) continue;
      ObjectMetadata m = found.get(k);
      int id = identityPrint(m);
      Integer i = id == 0 ? null : byIdentity.get(id);
      if (i == null || old.isFolder(i) != m.folder()) continue;
      if (!m.folder() && old.content(i) != contentPrint(m)) continue;
      byIdentity.remove(id);
      vanished.remove(old.name(i));
      oldOfFound[k] = i;
      foundOfOld[i] = k;
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
        return children(folder);
      }
    }
    return list(folder);
  }

  /**
   * The handles of {@code folder}'s children whose format is {@code format} (0 or 0xFFFFFFFF: any),
   * from a listing younger than {@code maxAgeNanos}, else from a fresh one (see {@link #listRecent}),
   * without making a node for each.
   */
  public int[] listRecentHandles(ObjectNode folder, long maxAgeNanos, int format) throws IOException {
    boolean any = format == 0 || format == 0xFFFFFFFF;
    synchronized (this) {
      ChildTable t = folder.children;
      if (t != null && !folder.removed && System.nanoTime() - folder.listedAtNanos < maxAgeNanos) {
        int[] out = new int[t.size()];
        int n = 0;
        for (int i = 0; i < t.slots(); i++) if (t.isLive(i) && (any || t.format(i) == format)) out[n++] = t.handle(i);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
      }
    }
    Listing l = listWithMetadata(folder);
    if (any) return l.handles.clone();
    int[] out = new int[l.size()];
    int n = 0;
    for (int i = 0; i < l.size(); i++) if (ObjectActions.formatOf(l.metadata(i)) == format) out[n++] = l.handle(i);
    return java.util.Arrays.copyOf(out, n);
  }

  /** The children known from the last listing, without touching the storage (null if never listed). */
  public synchronized List<ObjectNode> knownChildren(ObjectNode folder) {
    return folder.children == null ? null : children(folder);
  }

  private List<ObjectNode> children(ObjectNode folder) {
    ChildTable t = folder.children;
    List<ObjectNode> out = new ArrayList<>(t.size());
    for (int i = 0; i < t.slots(); i++) if (t.isLive(i)) out.add(nodeAt(folder, i));
    return out;
  }

  /** True once the host has listed {@code folder}. */
  public synchronized boolean isListed(ObjectNode folder) { return folder.children != null; }

  // ---- a folder's children without making a node for each (the listing of everything) ----

  /** What {@link #snapshot} copies out of a folder's table: enough to count and answer without the lock. */
  public static final class Children {
    private final ObjectIndex index;
    private final ObjectNode folder;
    public final int[] handles;
    public final String[] names;
    public final int[] formats;
    public final boolean[] folders;
    public final ObjectNode[] folderNodes;

    Children(ObjectIndex index, ObjectNode folder, int n) {
      this.index = index;
      this.folder = folder;
      handles = new int[n];
      names = new String[n];
      formats = new int[n];
      folders = new boolean[n];
      folderNodes = new ObjectNode[n];
    }

    public int size() { return handles.length; }

    /** The node of child {@code j}. */
    public ObjectNode node(int j) {
      return folders[j] ? folderNodes[j] : new ObjectNode(index, handles[j], folder.storage, folder, names[j]);
    }
  }

  /** A copy of {@code folder}'s known children (null if never listed). */
  public synchronized Children snapshot(ObjectNode folder) {
    ChildTable t = folder.children;
    if (t == null || folder.removed) return null;
    Children c = new Children(this, folder, t.size());
    int j = 0;
    for (int i = 0; i < t.slots(); i++) {
      if (!t.isLive(i)) continue;
      c.handles[j] = t.handle(i);
      c.names[j] = t.name(i);
      c.formats[j] = t.format(i);
      c.folders[j] = t.isFolder(i);
      if (c.folders[j]) c.folderNodes[j] = folder.subfolders.get(c.handles[j]);
      j++;
    }
    return c;
  }

  // ---- reading one object ----

  /**
   * Refreshes a node's metadata from its storage. When the object is gone (or its name now holds
   * a different kind of object) the node is dropped, so its handle is invalid from now on, and
   * {@link StorageError#NOT_FOUND} is thrown. This is how handles of objects deleted while no
   * session watched the storage disappear.
   */
  public ObjectMetadata refresh(ObjectNode node) throws IOException { return refreshChanges(node).metadata(); }

  /** What {@link #refreshChanges} found: the metadata, and what changed since the index last saw the object. */
  public record Refreshed(ObjectMetadata metadata, boolean sizeChanged, boolean modifiedChanged, boolean changed) {}

  /** {@link #refresh}, telling what changed against the fingerprints the index held. */
  public Refreshed refreshChanges(ObjectNode node) throws IOException {
    ObjectMetadata m;
    try {
      m = node.storage.storage().stat(node.path());
    } catch (StorageException e) {
      // Gone while nobody watched (between sessions, say): the handle dies with it.
      if (e.error() == StorageError.NOT_FOUND && !node.isRoot()) remove(node);
      throw e;
    }
    synchronized (this) {
      if (node.isRoot()) return new Refreshed(m, false, false, false);
      if (m.folder() != node.folder) {
        remove(node);
        throw new StorageException(StorageError.NOT_FOUND, node + " was replaced by another object");
      }
      recentNode = node;
      recentMetadata = m;
      recentAtNanos = System.nanoTime();
      ObjectNode p = parentOf(node);
      int i = p == null || p.children == null ? -1 : p.children.indexOf(node.handle);
      if (i < 0) return new Refreshed(m, false, false, false);
      int before = p.children.content(i);
      int after = contentPrint(m);
      int identityBefore = p.children.identity(i);
      p.children.setContent(i, after);
      p.children.setIdentity(i, identityPrint(m));
      p.children.setFormat(i, ObjectActions.formatOf(m));
      boolean sizeChanged = (before >>> 16) != (after >>> 16);
      boolean modifiedChanged = (before & 0xFFFF) != (after & 0xFFFF);
      return new Refreshed(m, sizeChanged, modifiedChanged, before != after || identityBefore != identityPrint(m));
    }
  }

  /**
   * The node's metadata: what the last read of it gave when that was less than a second ago and
   * nothing changed it since, else a fresh {@link #refresh}. libmtp asks GetObjectInfo and then
   * GetObjectPropList for every object it lists; the second need not read the storage again.
   */
  public ObjectMetadata recentMetadata(ObjectNode node) throws IOException {
    synchronized (this) {
      long now = System.nanoTime();
      if (node.equals(recentNode) && now - recentAtNanos < RECENT_NANOS) return recentMetadata;
      ObjectMetadata listed = fromLastListing(node, now);
      if (listed != null) return listed;
    }
    return refresh(node);
  }

  /**
   * What the last listing of the node's folder said about it, when that listing is younger than
   * {@link #LISTING_REUSE_NANOS} and nothing changed since (a device-side change report or a change
   * by the host forgets it). libmtp's mtp-files lists a folder and then asks GetObjectInfo of each
   * object in it: that need not read each object again.
   */
  private ObjectMetadata fromLastListing(ObjectNode node, long now) {
    Listing l = lastListing == null ? null : lastListing.get();
    if (l == null || now - lastListingAt >= LISTING_REUSE_NANOS) return null;
    ObjectNode p = node.isRoot() ? null : parentOf(node);
    if (p == null || !p.equals(lastListingFolder) || p.removed || p.listedAtNanos != lastListingAt) return null;
    if (lastListingPositions == null) {
      lastListingPositions = new HashMap<>(l.size() * 4 / 3 + 1);
      for (int i = 0; i < l.size(); i++) lastListingPositions.put(l.handle(i), i);
    }
    Integer i = lastListingPositions.get(node.handle);
    return i == null ? null : l.metadata(i);
  }

  /** Forgets the last read object (a device-side change may have touched it). */
  public synchronized void forgetRecent() {
    recentNode = null;
    lastListing = null;
  }

  /** The host changed the object (its time, say) and {@code m} is what it is now. */
  public synchronized void updated(ObjectNode node, ObjectMetadata m) {
    recentNode = null;
    lastListing = null;
    ObjectNode p = parentOf(node);
    int i = p == null || p.children == null ? -1 : p.children.indexOf(node.handle);
    if (i < 0) return;
    p.children.setContent(i, contentPrint(m));
    p.children.setIdentity(i, identityPrint(m));
  }

  // ---- changes ----

  /**
   * Records an object the host just created (or one that appeared on the device), under a given
   * handle (a reserved one) or a new one when {@code handle} is 0.
   */
  public synchronized ObjectNode add(ObjectNode parent, ObjectMetadata m, int handle) {
    recentNode = null;
    lastListing = null;
    if (parent.children == null) {
      // Known children of a folder never listed: the next request lists it properly.
      parent.children = new ChildTable();
      parent.subfolders = new HashMap<>();
      parent.listedAtNanos = System.nanoTime() - OLD;
    }
    ChildTable t = parent.children;
    int existing = t.indexOfName(m.name());
    if (existing >= 0) {
      if (t.isFolder(existing) == m.folder() && (handle == 0 || t.handle(existing) == handle)) {
        t.setContent(existing, contentPrint(m));
        t.setIdentity(existing, identityPrint(m));
        return nodeAt(parent, existing);
      }
      // Another kind of object now, or the host was promised another handle for this object
      // (SendObjectInfo's, while a listing of the folder raced with the upload's commit): the
      // promised handle wins.
      removeAt(parent, existing);
    }
    int h = handle == 0 ? reserveHandle() : handle;
    return place(parent, h, m, null);
  }

  /** Puts handle {@code h} into {@code parent}'s table; {@code moved} is the folder node that keeps it, if any. */
  private ObjectNode place(ObjectNode parent, int h, ObjectMetadata m, ObjectNode moved) {
    parent.children.add(h, m.name(), m.folder(), ObjectActions.formatOf(m), identityPrint(m), contentPrint(m));
    owners.put(h, parent.folderId);
    objects++;
    if (!m.folder()) return new ObjectNode(this, h, parent.storage, parent, m.name());
    ObjectNode f = moved != null ? moved : registerFolder(new ObjectNode(this, h, parent.storage, parent, m.name(), ++lastFolderId));
    f.parent = parent;
    f.name = m.name();
    parent.subfolders.put(h, f);
    return f;
  }

  /** Forgets {@code node} and everything below it (the object was deleted). */
  public synchronized void remove(ObjectNode node) {
    recentNode = null;
    lastListing = null;
    if (node.isRoot()) return;
    ObjectNode p = parentOf(node);
    int i = p == null || p.children == null ? -1 : p.children.indexOf(node.handle);
    if (i >= 0) removeAt(p, i);
    else if (node.folder) drop(node);
  }

  private void removeAt(ObjectNode parent, int i) {
    ChildTable t = parent.children;
    int h = t.handle(i);
    if (t.isFolder(i)) drop(parent.subfolders.remove(h));
    t.remove(i);
    t.compactIfWasteful();
    objects--;
  }

  /** The node was renamed in place: it keeps its handle. */
  public synchronized void rename(ObjectNode node, ObjectMetadata m) {
    recentNode = null;
    lastListing = null;
    ObjectNode p = parentOf(node);
    if (p == null || p.children == null) return;
    ChildTable t = p.children;
    int clash = t.indexOfName(m.name());
    if (clash >= 0 && t.handle(clash) != node.handle) removeAt(p, clash);
    int i = t.indexOf(node.handle);
    if (i < 0) return;
    t.rename(i, m.name());
    i = t.indexOf(node.handle); // renaming may have compacted the table
    t.setContent(i, contentPrint(m));
    t.setIdentity(i, identityPrint(m));
    node.name = m.name();
  }

  /** The node was moved within its storage: it keeps its handle (and its subtree theirs). */
  public synchronized void move(ObjectNode node, ObjectNode newParent, ObjectMetadata m) {
    recentNode = null;
    lastListing = null;
    ObjectNode old = parentOf(node);
    if (old != null && old.children != null) {
      int i = old.children.indexOf(node.handle);
      if (i >= 0) {
        old.children.remove(i);
        old.children.compactIfWasteful();
        objects--;
        if (node.folder) old.subfolders.remove(node.handle);
      }
    }
    if (newParent.children == null) {
      newParent.children = new ChildTable();
      newParent.subfolders = new HashMap<>();
      newParent.listedAtNanos = System.nanoTime() - OLD;
    }
    int clash = newParent.children.indexOfName(m.name());
    if (clash >= 0) removeAt(newParent, clash);
    place(newParent, node.handle, m, node.folder ? node : null);
    node.parent = newParent;
    node.name = m.name();
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
      n.listedAtNanos = System.nanoTime() - OLD;
      out.add(pathOf(n));
      for (ObjectNode c : n.subfolders.values()) todo.push(c);
    }
    return out;
  }

  /** Forgets every object of a storage (it was removed). */
  public synchronized void forgetStorage(StorageSlot slot) {
    recentNode = null;
    ObjectNode root = roots.remove(slot.id());
    if (root != null) drop(root);
  }

  /** Forgets everything. The handle counter keeps counting. */
  public synchronized void clear() {
    recentNode = null;
    for (ObjectNode r : new ArrayList<>(roots.values())) drop(r);
    roots.clear();
    objects = 0;
  }

  private ObjectNode registerFolder(ObjectNode f) {
    foldersById.put(f.folderId, f);
    return f;
  }

  /** Marks a folder and everything below it gone (no allocation: it may run in a listing's commit). */
  private void drop(ObjectNode folder) {
    if (folder == null || folder.removed) return;
    folder.removed = true;
    foldersById.remove(folder.folderId);
    if (folder.children != null) {
      objects -= folder.children.size();
      for (ObjectNode sub : folder.subfolders.values()) drop(sub);
    }
  }

  // ---- fingerprints ----

  /** The storage's persistent key (an inode) and the creation time: who the object is. 0 when unknown. */
  static int identityPrint(ObjectMetadata m) {
    if (m.persistentKey() == null || m.created() == null) return 0;
    int h = m.persistentKey().hashCode() * 31 + Long.hashCode(m.created().getEpochSecond()) * 17 + m.created().getNano();
    return h == 0 ? 1 : h;
  }

  /**
   * 16 bits of the size and 16 of the modification time (and of the protection and hidden flags,
   * which change nothing else): what the object holds, and which of its properties changed.
   */
  static int contentPrint(ObjectMetadata m) {
    int size = mix(m.size());
    Instant t = m.modified();
    long flags = (m.writeProtected() ? 1L : 0) | (m.hidden() ? 2L : 0);
    int time = mix((t == null ? 0 : t.getEpochSecond() * 1_000_000_007L + t.getNano()) * 4 + flags);
    return (size & 0xFFFF0000) | (time >>> 16);
  }

  private static int mix(long v) {
    v ^= v >>> 33;
    v *= 0xff51afd7ed558ccdL;
    v ^= v >>> 33;
    return (int) (v ^ (v >>> 32));
  }
}
