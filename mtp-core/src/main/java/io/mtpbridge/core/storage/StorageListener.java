package io.mtpbridge.core.storage;

/**
 * Device-side changes a storage reports, so the responder can send events to the host. A storage
 * calls these from any thread; the responder coalesces bursts and drops echoes of the host's own
 * changes, so a storage may report generously.
 */
public interface StorageListener {
  /** An object appeared at {@code path} (a file finished, a folder was created). */
  void objectAdded(ObjectPath path);

  /** The object at {@code path} disappeared. */
  void objectRemoved(ObjectPath path);

  /** The object at {@code path} changed (size, dates, protection). */
  void objectChanged(ObjectPath path);

  /**
   * Something changed under {@code folder} but the storage cannot say what (e.g. a watch queue
   * overflowed): the responder re-reads that folder's children.
   */
  default void folderChanged(ObjectPath folder) { objectChanged(folder); }

  /** Capacity, free space, label or access changed. */
  void storageInfoChanged();
}
