package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageException;
import java.util.LinkedHashMap;

/**
 * One object the host has seen, under its handle (valid across sessions). A node knows its parent
 * and name, not its full path, so renaming or moving a folder re-keys its whole subtree in one
 * step. All fields are guarded by the owning {@link ObjectIndex}.
 */
public final class ObjectNode {
  final int handle;
  final StorageSlot storage;
  ObjectNode parent; // null for a storage root
  String name;
  boolean folder;
  /**
   * The metadata last read, held softly: a session that listed 100,000 files must not pin all of
   * it on a small heap. Users that find it gone read the storage again.
   */
  private java.lang.ref.SoftReference<ObjectMetadata> metadata;
  /** The object's format, kept strongly because format filters need it for every object. */
  int formatCode;
  LinkedHashMap<String, ObjectNode> children; // null until listed
  long listedAtNanos;
  boolean removed;

  ObjectNode(int handle, StorageSlot storage, ObjectNode parent, ObjectMetadata metadata) {
    this.handle = handle;
    this.storage = storage;
    this.parent = parent;
    this.name = metadata.name();
    this.folder = metadata.folder();
    metadata(metadata);
  }

  void metadata(ObjectMetadata m) {
    this.metadata = new java.lang.ref.SoftReference<>(m);
    this.formatCode = ObjectActions.formatOf(m);
  }

  /**
   * What {@link #applyMetadata} installs, made ahead so that installing it allocates nothing (the
   * handle index builds a listing aside and swaps it in).
   */
  static Object prepareMetadata(ObjectMetadata m) { return new java.lang.ref.SoftReference<>(m); }

  @SuppressWarnings("unchecked")
  void applyMetadata(Object prepared, int format) {
    this.metadata = (java.lang.ref.SoftReference<ObjectMetadata>) prepared;
    this.formatCode = format;
  }

  /** The handle (0 for a storage root, which is not an object). */
  public int handle() { return handle; }
  public StorageSlot storage() { return storage; }
  public int storageId() { return storage.id(); }
  public boolean isRoot() { return parent == null; }
  public boolean isFolder() { return folder; }

  /** The handle the host sees as ParentObject: 0 for objects in a storage root. */
  public int parentHandle() { return parent == null ? 0 : parent.handle; }

  public synchronized String name() { return name; }

  /** The metadata last read from the storage (a listing or a stat), or null when it was reclaimed. */
  public ObjectMetadata metadata() { return metadata.get(); }

  /** The object's format code (from the last metadata read). */
  public int formatCode() { return formatCode; }

  /** The storage-local path, computed from the parent chain. */
  public ObjectPath path() {
    if (parent == null) return ObjectPath.ROOT;
    java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
    for (ObjectNode n = this; n.parent != null; n = n.parent) names.addFirst(n.name);
    try {
      return ObjectPath.of(names.toArray(String[]::new));
    } catch (StorageException e) {
      throw new IllegalStateException("a node holds an invalid name: " + e.getMessage(), e);
    }
  }

  public ObjectNode parent() { return parent; }

  @Override public String toString() { return String.format("Object[0x%08X %s%s]", handle, storage.storage(), path()); }
}
