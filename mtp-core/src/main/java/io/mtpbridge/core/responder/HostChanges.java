package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.ObjectPath;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the host itself changed recently (created, deleted, renamed, moved, wrote), so the storage's
 * own reports of those changes are not echoed back to it as events. An entry counts for
 * {@link #WINDOW_NANOS}; entries expire in the order they were made, so forgetting them costs
 * nothing per change however many the host makes at once (deleting a folder of 100,000 files notes
 * each of them; a ledger that searched itself for old entries past a size made that quadratic).
 */
final class HostChanges {
  /** How long a host change masks the storage's report of it. */
  static final long WINDOW_NANOS = 3_000_000_000L;

  private record Noted(String key, long at) {}

  private final Map<String, Long> latest = new HashMap<>();
  private final ArrayDeque<Noted> order = new ArrayDeque<>();
  private long examined;

  /** Notes that the host changed the object at {@code path} on storage {@code storageId} now. */
  synchronized void note(int storageId, ObjectPath path, long nowNanos) {
    expire(nowNanos);
    String key = key(storageId, path);
    latest.put(key, nowNanos);
    order.addLast(new Noted(key, nowNanos));
  }

  /** True when the host itself changed that object within the window. */
  synchronized boolean isEcho(int storageId, ObjectPath path, long nowNanos) {
    Long t = latest.get(key(storageId, path));
    return t != null && nowNanos - t < WINDOW_NANOS;
  }

  /** Changes still remembered. */
  synchronized int size() { return latest.size(); }

  /** Entries looked at while expiring, for the test that keeps this linear. */
  synchronized long examined() { return examined; }

  private void expire(long nowNanos) {
    Noted head;
    while ((head = order.peekFirst()) != null && nowNanos - head.at() >= WINDOW_NANOS) {
      examined++;
      order.removeFirst();
      // a key noted again since keeps its later time
      Long last = latest.get(head.key());
      if (last != null && last == head.at()) latest.remove(head.key());
    }
  }

  private static String key(int storageId, ObjectPath path) { return storageId + ":" + path; }
}
