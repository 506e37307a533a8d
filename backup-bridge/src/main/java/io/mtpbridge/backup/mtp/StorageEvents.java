package io.mtpbridge.backup.mtp;

import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;

/** The Backup storage's events to the responder (absent while no session listens). */
final class StorageEvents {
  private volatile StorageListener listener;

  void set(StorageListener l) { listener = l; }

  void added(String... names) {
    StorageListener l = listener;
    if (l == null) return;
    try {
      l.objectAdded(ObjectPath.of(names));
      l.storageInfoChanged();
    } catch (StorageException ignored) {
      // our own names are valid
    }
  }

  void changed(String... names) {
    StorageListener l = listener;
    if (l == null) return;
    try {
      l.objectChanged(ObjectPath.of(names));
    } catch (StorageException ignored) {
      // our own names are valid
    }
  }

  void removed(String... names) {
    StorageListener l = listener;
    if (l == null) return;
    try {
      l.objectRemoved(ObjectPath.of(names));
    } catch (StorageException ignored) {
      // our own names are valid
    }
  }

  void storageInfoChanged() {
    StorageListener l = listener;
    if (l != null) l.storageInfoChanged();
  }
}
