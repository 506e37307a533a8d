package io.mtpbridge.core.event;

import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.responder.ObjectIndex;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.Session;
import io.mtpbridge.core.responder.StorageRegistry;
import io.mtpbridge.core.responder.StorageSlot;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.MtpTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns device-side changes into MTP events. Storages report changes from their own threads; a
 * single event thread collects them for a short window (so a burst, e.g. a copy of a thousand
 * files or the several notifications one write produces, becomes one event per object), resolves
 * them against the session's handles, and sends through {@link MtpTransport#sendEvent}, which
 * never blocks.
 *
 * <p>Echoes are dropped: an object the host itself created, deleted, renamed or changed is already
 * in the expected state in the handle index (or marked as a recent host change). Objects in
 * folders the host never listed produce no events: the host cannot know them, and will see them
 * when it lists the folder. Nothing is sent outside a session.
 */
public final class EventDispatcher {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  /** The events this dispatcher can produce. */
  public static final Set<Integer> DEFAULT_EVENTS = Set.of(
      EventCode.OBJECT_ADDED.value(), EventCode.OBJECT_REMOVED.value(), EventCode.STORE_ADDED.value(),
      EventCode.STORE_REMOVED.value(), EventCode.DEVICE_PROP_CHANGED.value(), EventCode.OBJECT_INFO_CHANGED.value(),
      EventCode.STORAGE_INFO_CHANGED.value(), EventCode.OBJECT_PROP_CHANGED.value());

  private enum Kind { ADDED, REMOVED, CHANGED, RESCAN, STORAGE_INFO }

  private record Change(StorageSlot slot, ObjectPath path, Kind kind) {}

  private record Key(int storageId, ObjectPath path, boolean storageInfo) {}

  private final ObjectIndex index;
  private final StorageRegistry storages;
  private final Set<Integer> supported;
  private final long windowMillis;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile MtpTransport transport;
  private volatile Session session;
  private Thread worker;
  private final AtomicLong unexpectedFailures = new AtomicLong();

  /**
   * @param index the handles events name (device-side additions get handles here)
   * @param storages changes of a storage no longer registered are dropped
   */
  public EventDispatcher(ObjectIndex index, StorageRegistry storages, Set<Integer> supported, long windowMillis) {
    this.index = Objects.requireNonNull(index);
    this.storages = Objects.requireNonNull(storages);
    this.supported = Set.copyOf(supported);
    this.windowMillis = windowMillis;
  }

  /**
   * How many device-side changes the event thread dropped because of a failure nobody anticipated
   * (a bug, or a storage that broke its contract); each is logged at WARN. Monitoring and tests
   * watch it stay 0. A storage refusing (the object went away again) is not counted.
   */
  public long unexpectedFailures() { return unexpectedFailures.get(); }

  /** Event codes the device may send: DeviceInfo's EventsSupported. */
  public Set<Integer> supported() { return supported; }

  public void attach(MtpTransport t) { transport = t; }

  public synchronized void detach() {
    transport = null;
    stopWorker();
  }

  public synchronized void sessionOpened(Session s) {
    session = s;
    queue.clear();
    if (worker == null) {
      worker = new Thread(this::run, "mtp-events");
      worker.setDaemon(true);
      worker.start();
    }
  }

  public synchronized void sessionClosed() {
    session = null;
    queue.clear();
  }

  private void stopWorker() {
    if (worker != null) {
      worker.interrupt();
      worker = null;
    }
  }

  /** The listener a storage reports to while the session is open. */
  public StorageListener listenerFor(StorageSlot slot) {
    return new StorageListener() {
      @Override public void objectAdded(ObjectPath path) { enqueue(slot, path, Kind.ADDED); }
      @Override public void objectRemoved(ObjectPath path) { enqueue(slot, path, Kind.REMOVED); }
      @Override public void objectChanged(ObjectPath path) { enqueue(slot, path, Kind.CHANGED); }
      @Override public void folderChanged(ObjectPath folder) { enqueue(slot, folder, Kind.RESCAN); }
      @Override public void storageInfoChanged() { enqueue(slot, ObjectPath.ROOT, Kind.STORAGE_INFO); }
    };
  }

  private void enqueue(StorageSlot slot, ObjectPath path, Kind kind) {
    if (session == null) return;
    queue.add(new Change(slot, Objects.requireNonNull(path), kind));
  }

  public void storageAdded(StorageSlot slot) {
    if (session != null) slot.storage().setListener(listenerFor(slot));
    send(EventCode.STORE_ADDED.value(), slot.id());
  }

  public void storageRemoved(StorageSlot slot) { send(EventCode.STORE_REMOVED.value(), slot.id()); }

  public void devicePropChanged(int code) { send(EventCode.DEVICE_PROP_CHANGED.value(), code); }

  /** For extensions: an object's property changed on the device side. */
  public void objectPropChanged(int handle, int propertyCode) { send(EventCode.OBJECT_PROP_CHANGED.value(), handle, propertyCode); }

  /** Sends an event now, if a session is open and the event is advertised. */
  public void send(int code, int... params) {
    MtpTransport t = transport;
    if (t == null || session == null) return;
    if (!supported.contains(code)) {
      log.debug("not sending unadvertised event {}", EventCode.nameOf(code));
      return;
    }
    Event e = new Event(code, 0, params);
    log.debug("event {}", e);
    t.sendEvent(e);
  }

  // ---- the event thread ----

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      List<Object> batch = new ArrayList<>();
      try {
        Object first = queue.take();
        // Collect the burst this change belongs to.
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMillis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
          Object next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) break;
          batch.add(next);
        }
        queue.drainTo(batch);
        process(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        // The thread must outlive anything one batch does (an Error from a storage included):
        // a dead event thread would silently end every event for the rest of the device's life.
        unexpectedFailures.incrementAndGet();
        log.warn("event thread: a batch of {} device-side changes failed unexpectedly; the host will see them when it lists again", batch.size(), e);
      }
    }
  }

  private void process(List<Object> batch) {
    Map<Key, Change> merged = new LinkedHashMap<>();
    for (Object o : batch) {
      Change c = (Change) o;
      Key k = new Key(c.slot().id(), c.path(), c.kind() == Kind.STORAGE_INFO);
      Change prev = merged.get(k);
      // Added-then-changed is still an addition; anything followed by a removal is a removal;
      // a rescan absorbs the rest.
      if (prev != null && prev.kind() == Kind.RESCAN) continue;
      if (prev != null && prev.kind() == Kind.ADDED && c.kind() == Kind.CHANGED) continue;
      merged.remove(k);
      merged.put(k, c);
    }
    renamesToRescans(merged);
    // A request that walks many folders in two passes (the listing of every object) holds this
    // lock so that the index does not change between its passes; the changes wait for it.
    index.walkLock().lock();
    try {
      index.forgetRecent();
      for (Change c : merged.values()) {
        Session s = session;
        if (s == null) return;
        try {
          apply(s, c);
        } catch (StorageException e) {
          log.debug("dropping change {}: {}", c, e.toString()); // changed again before we looked
        } catch (IOException | RuntimeException e) {
          unexpectedFailures.incrementAndGet();
          log.warn("event thread: dropping device-side change {} after an unexpected failure", c, e);
        }
      }
    } finally {
      index.walkLock().unlock();
    }
  }

  /**
   * A rename on the device shows as a removal and an addition in the same folder. Such a folder is
   * re-read as a whole instead: the listing recognises the object by its persistent key, so it
   * keeps its handle and the host gets ObjectInfoChanged rather than a removal and a new handle.
   */
  private static void renamesToRescans(Map<Key, Change> merged) {
    Set<Key> removedIn = new HashSet<>();
    Set<Key> addedIn = new HashSet<>();
    for (Change c : merged.values()) {
      if (c.path().isRoot()) continue;
      Key parent = new Key(c.slot().id(), c.path().parent(), false);
      if (c.kind() == Kind.REMOVED) removedIn.add(parent);
      else if (c.kind() == Kind.ADDED) addedIn.add(parent);
    }
    removedIn.retainAll(addedIn);
    if (removedIn.isEmpty()) return;
    Map<Key, StorageSlot> slots = new HashMap<>();
    merged.values().removeIf(c -> {
      if (c.path().isRoot() || c.kind() == Kind.RESCAN || c.kind() == Kind.STORAGE_INFO) return false;
      Key parent = new Key(c.slot().id(), c.path().parent(), false);
      if (!removedIn.contains(parent)) return false;
      slots.put(parent, c.slot());
      return true;
    });
    for (Map.Entry<Key, StorageSlot> e : slots.entrySet()) {
      merged.put(e.getKey(), new Change(e.getValue(), e.getKey().path(), Kind.RESCAN));
    }
  }

  private void apply(Session s, Change c) throws IOException {
    if (storages.get(c.slot().id()) == null) return;
    switch (c.kind()) {
      case STORAGE_INFO -> send(EventCode.STORAGE_INFO_CHANGED.value(), c.slot().id());
      case ADDED -> added(s, index, c);
      case REMOVED -> removed(s, index, c);
      case CHANGED -> changed(s, index, c);
      case RESCAN -> rescan(index, c);
    }
  }

  private void added(Session s, ObjectIndex index, Change c) throws IOException {
    if (c.path().isRoot()) return;
    // The echo check comes first: an object the host is creating (SendObject commits it, then
    // records it under the handle SendObjectInfo promised) must not get a second handle here.
    if (s.isEcho(c.slot().id(), c.path())) return;
    ObjectNode known = index.lookup(c.slot(), c.path());
    if (known != null) {
      changed(s, index, c);
      return;
    }
    ObjectNode parent = index.lookup(c.slot(), c.path().parent());
    if (parent == null || !index.isListed(parent)) return;
    ObjectMetadata m;
    try {
      m = c.slot().storage().stat(c.path());
    } catch (StorageException e) {
      return; // gone again before we looked: nothing to report
    }
    ObjectNode n = index.add(parent, m, 0);
    send(EventCode.OBJECT_ADDED.value(), n.handle());
  }

  private void removed(Session s, ObjectIndex index, Change c) throws IOException {
    // The host's own move or delete: its operation updates the index (right after the storage did
    // the work; dropping the node here first would invalidate the handle the host still uses).
    if (s.isEcho(c.slot().id(), c.path())) return;
    ObjectNode n = index.lookup(c.slot(), c.path());
    if (n == null || n.isRoot()) return;
    try {
      c.slot().storage().stat(c.path());
      return; // replaced in the same burst: the host's handle still names an object there
    } catch (StorageException e) {
      // really gone
    }
    index.remove(n);
    send(EventCode.OBJECT_REMOVED.value(), n.handle());
  }

  private void changed(Session s, ObjectIndex index, Change c) throws IOException {
    ObjectNode n = index.lookup(c.slot(), c.path());
    if (n == null) {
      added(s, index, new Change(c.slot(), c.path(), Kind.ADDED));
      return;
    }
    if (n.isRoot() || s.isEcho(c.slot().id(), c.path())) return;
    ObjectIndex.Refreshed r;
    try {
      r = index.refreshChanges(n);
    } catch (StorageException e) {
      if (n.equals(index.find(n.handle()))) {
        removed(s, index, c);
      } else {
        // refresh dropped the node: the object is gone, or its name now holds another kind of
        // object (which the host gets as a new one)
        send(EventCode.OBJECT_REMOVED.value(), n.handle());
        added(s, index, new Change(c.slot(), c.path(), Kind.ADDED));
      }
      return;
    }
    if (!r.changed()) return;
    send(EventCode.OBJECT_INFO_CHANGED.value(), n.handle());
    if (r.sizeChanged()) objectPropChanged(n.handle(), ObjectPropertyCode.OBJECT_SIZE.value());
    if (r.modifiedChanged()) objectPropChanged(n.handle(), ObjectPropertyCode.DATE_MODIFIED.value());
  }

  private void rescan(ObjectIndex index, Change c) throws IOException {
    ObjectNode folder = index.lookup(c.slot(), c.path());
    if (folder == null || !index.isListed(folder)) return;
    Map<Integer, String> before = new HashMap<>();
    for (ObjectNode n : index.knownChildren(folder)) before.put(n.handle(), n.name());
    Set<Integer> after = new HashSet<>();
    Session s = session;
    // what the host itself is moving or deleting right now is the host's operation to update
    List<ObjectNode> now = index.list(folder, n -> s != null && s.isEcho(c.slot().id(), n.path()));
    for (ObjectNode n : now) {
      after.add(n.handle());
      String oldName = before.get(n.handle());
      if (oldName == null) {
        // an object the host is creating is announced by the host's own operation, not here
        if (!isEcho(s, c, n.name())) send(EventCode.OBJECT_ADDED.value(), n.handle());
      } else if (!oldName.equals(n.name()) && !isEcho(s, c, oldName) && !isEcho(s, c, n.name())) {
        // renamed on the device; the host's own rename may be read here before its operation has
        // updated the index (the listing then finds the object under its new name first)
        send(EventCode.OBJECT_INFO_CHANGED.value(), n.handle());
      }
    }
    // the listing returns what the storage shows; what it kept for the host's own move or delete
    // is still in the folder's table, and is not gone for the host
    List<ObjectNode> known = index.knownChildren(folder);
    if (known != null) for (ObjectNode n : known) after.add(n.handle());
    for (Map.Entry<Integer, String> gone : before.entrySet()) {
      // the host's own delete may have taken the object out of the index while this re-read ran
      if (!after.contains(gone.getKey()) && !isEcho(s, c, gone.getValue())) send(EventCode.OBJECT_REMOVED.value(), gone.getKey());
    }
  }

  /** True when the host itself changed the child {@code name} of the rescanned folder just now. */
  private static boolean isEcho(Session s, Change folder, String name) throws IOException {
    return s != null && s.isEcho(folder.slot().id(), folder.path().child(name));
  }
}
