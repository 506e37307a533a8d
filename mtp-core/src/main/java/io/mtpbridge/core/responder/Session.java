package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectPath;
import java.util.HashMap;
import java.util.Map;

/**
 * One open MTP session: its id, the object the host announced with SendObjectInfo and has not sent
 * yet, the objects open for Android editing, and what the host itself changed recently (so the
 * storage's own change reports of those are not echoed back as events).
 */
public final class Session {

  private final int id;
  private int lastTransactionId;
  private PendingObject pendingObject;
  private final Map<Integer, ObjectEditor> editors = new HashMap<>();
  private final HostChanges hostChanges = new HostChanges();

  Session(int id) { this.id = id; }

  public int id() { return id; }

  int lastTransactionId() { return lastTransactionId; }
  void lastTransactionId(int tid) { lastTransactionId = tid; }

  /** The object announced by SendObjectInfo/SendObjectPropList and awaiting SendObject, or null. */
  public PendingObject pendingObject() { return pendingObject; }

  /** Removes and returns the pending object without discarding it (SendObject takes it over). */
  public PendingObject takePendingObject() {
    PendingObject p = pendingObject;
    pendingObject = null;
    return p;
  }

  /** Replaces the pending object; a previous one that never got its data is discarded. */
  public void pendingObject(PendingObject p) {
    PendingObject old = pendingObject;
    pendingObject = p;
    if (old != null && old != p) old.abort();
  }

  /** Editors opened by BeginEditObject, by handle. */
  public Map<Integer, ObjectEditor> editors() { return editors; }

  /** Notes that the host changed the object at {@code path} on storage {@code storageId}. */
  public void hostChanged(int storageId, ObjectPath path) { hostChanges.note(storageId, path, System.nanoTime()); }

  /** True when the host itself changed that object within the echo window. */
  public boolean isEcho(int storageId, ObjectPath path) { return hostChanges.isEcho(storageId, path, System.nanoTime()); }
}
