package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories the host has listed and reports changes to the storage's listener.
 * Only listed directories are watched, so a huge tree costs nothing until browsed. Temporary
 * upload files are not reported. The listener (the responder's event dispatcher) coalesces bursts.
 */
final class DirectoryWatcher {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final Path root;
  private final String ignoredPrefix;
  private final Map<WatchKey, ObjectPath> keys = new HashMap<>();
  private final Map<ObjectPath, WatchKey> byPath = new HashMap<>();
  private volatile StorageListener listener;
  private WatchService service;
  private Thread thread;

  DirectoryWatcher(Path root, String ignoredPrefix) {
    this.root = root;
    this.ignoredPrefix = ignoredPrefix;
  }

  synchronized void setListener(StorageListener l) {
    listener = l;
    if (l == null) unwatchAll();
  }

  StorageListener listener() { return listener; }

  synchronized void watch(ObjectPath folder, Path dir) {
    if (listener == null || byPath.containsKey(folder)) return;
    try {
      if (service == null) {
        service = FileSystems.getDefault().newWatchService();
        thread = new Thread(this::run, "fs-watch " + root.getFileName());
        thread.setDaemon(true);
        thread.start();
      }
      WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.ENTRY_MODIFY);
      keys.put(key, folder);
      byPath.put(folder, key);
    } catch (IOException e) {
      // Out of inotify watches, or the folder vanished: events for it are lost, not the session.
      log.warn("cannot watch {}: {}", dir, e.toString());
    }
  }

  synchronized void unwatchAll() {
    for (WatchKey k : keys.keySet()) k.cancel();
    keys.clear();
    byPath.clear();
  }

  synchronized void close() {
    unwatchAll();
    if (service != null) {
      try {
        service.close();
      } catch (IOException ignored) {
        // closing
      }
      service = null;
      thread = null;
    }
  }

  private void run() {
    WatchService ws;
    synchronized (this) { ws = service; }
    if (ws == null) return;
    try {
      while (true) {
        WatchKey key = ws.take();
        ObjectPath folder;
        synchronized (this) { folder = keys.get(key); }
        for (WatchEvent<?> ev : key.pollEvents()) {
          StorageListener l = listener;
          if (folder == null || l == null) continue;
          dispatch(l, folder, ev);
        }
        if (!key.reset()) {
          synchronized (this) {
            ObjectPath gone = keys.remove(key);
            if (gone != null) byPath.remove(gone);
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // shutting down
    }
  }

  private void dispatch(StorageListener l, ObjectPath folder, WatchEvent<?> ev) {
    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
      l.folderChanged(folder);
      return;
    }
    Path entry = (Path) ev.context();
    String name = entry.toString();
    if (name.startsWith(ignoredPrefix)) return;
    ObjectPath child;
    try {
      child = folder.child(name);
    } catch (StorageException e) {
      child = null;
    }
    if (child == null || !entry.getFileSystem().getPath(name).equals(entry)) {
      // A name the host sees escaped (too long, a backslash, not UTF-8): let the folder be read again.
      l.folderChanged(folder);
      return;
    }
    if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE) l.objectAdded(child);
    else if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) l.objectRemoved(child);
    else l.objectChanged(child);
  }
}
