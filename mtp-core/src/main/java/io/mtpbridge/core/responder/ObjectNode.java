package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.ObjectPath;
import java.util.Map;

/**
 * One object the host has seen, under its handle (valid across sessions).
 *
 * <p>A folder (or a storage root) is a node that lives as long as the folder is known: it holds its
 * name, its parent and, once listed, its children ({@link ChildTable}). A file is not kept as an
 * object at all: its name, format and fingerprints are an entry of its folder's table, and a
 * {@code ObjectNode} for it is a view made on demand by the {@link ObjectIndex}, which is what
 * keeps a million files in a few tens of megabytes. Two nodes for the same object are equal.
 * Everything a node knows is read under the index's lock, so a view always shows the current name
 * and folder, even after the host renamed or moved the object; once the object is gone its view
 * shows the last ones it saw.
 */
public final class ObjectNode {
  final ObjectIndex index;
  final int handle;
  final StorageSlot storage;
  final boolean folder;

  // ---- guarded by the index ----
  /**
   * The name and the parent folder (null for a storage root). A folder's are its own; a file's are
   * what its folder's table said when the view was made or last read, and serve only once the
   * file is gone (so that using the view ends in "not found" at the storage, as it would have).
   */
  String name;
  ObjectNode parent;
  // ---- folders and roots only; guarded by the index ----
  /** The number {@link HandleOwners} records for the folder's children. */
  int folderId;
  /** The folder's children, null until it is listed (or something is put into it). */
  ChildTable children;
  /** The folders among the children, by handle. */
  Map<Integer, ObjectNode> subfolders;
  long listedAtNanos;
  boolean removed;

  /** A folder or a storage root (handle 0). */
  ObjectNode(ObjectIndex index, int handle, StorageSlot storage, ObjectNode parent, String name, int folderId) {
    this.index = index;
    this.handle = handle;
    this.storage = storage;
    this.folder = true;
    this.parent = parent;
    this.name = name;
    this.folderId = folderId;
  }

  /** A view of a file. */
  ObjectNode(ObjectIndex index, int handle, StorageSlot storage, ObjectNode parent, String name) {
    this.index = index;
    this.handle = handle;
    this.storage = storage;
    this.folder = false;
    this.parent = parent;
    this.name = name;
  }

  /** The handle (0 for a storage root, which is not an object). */
  public int handle() { return handle; }
  public StorageSlot storage() { return storage; }
  public int storageId() { return storage.id(); }
  public boolean isRoot() { return folder && handle == 0; }
  public boolean isFolder() { return folder; }

  /** The handle the host sees as ParentObject: 0 for objects in a storage root. */
  public int parentHandle() { return index.parentHandleOf(this); }

  /** The name, as of now. */
  public String name() { return index.nameOf(this); }

  /** The object's format code (from the last metadata read). */
  public int formatCode() { return index.formatOf(this); }

  /** The storage-local path, as of now. */
  public ObjectPath path() { return index.pathOf(this); }

  /** The folder it is in (null for a storage root). */
  public ObjectNode parent() { return index.parentOf(this); }

  @Override public boolean equals(Object o) {
    return o instanceof ObjectNode n && n.handle == handle && n.storage == storage && n.index == index;
  }

  @Override public int hashCode() { return handle * 31 + storage.id(); }

  @Override public String toString() { return String.format("Object[0x%08X %s%s]", handle, storage.storage(), path()); }
}
