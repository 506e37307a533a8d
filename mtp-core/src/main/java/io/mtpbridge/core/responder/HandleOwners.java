package io.mtpbridge.core.responder;

import java.util.Arrays;

/**
 * Which folder a handle was placed in, as runs of consecutive handles: a folder's children get
 * their handles together when it is listed, and uploads into a folder one after the other, so a
 * storage of a million files in a thousand folders is about a thousand runs, where a hash map from
 * handle to folder took tens of bytes per object.
 *
 * <p>The answer is where the handle was last put; the folder's own {@link ChildTable} has the final
 * word (a handle whose object was removed, or moved without telling this map, is not in it), so
 * stale runs are harmless and are never cleaned up one by one.
 *
 * <p>Not thread-safe: the {@link ObjectIndex} that owns it guards it.
 */
final class HandleOwners {
  /** Run i covers handles [start[i], start[i+1]) (the last one up to the highest handle put). */
  private int[] start = new int[16];
  private int[] owner = new int[16];
  private int runs;
  private long highest = -1;

  /** The folder last given for {@code handle} by {@link #put}, or -1. */
  int ownerOf(int handle) {
    long h = Integer.toUnsignedLong(handle);
    if (runs == 0 || h > highest) return -1;
    int i = find(h);
    return i < 0 ? -1 : owner[i];
  }

  /** Records that {@code handle} now lives in folder {@code folder}. */
  void put(int handle, int folder) {
    long h = Integer.toUnsignedLong(handle);
    if (runs > 0 && h == highest + 1) {
      highest = h;
      if (owner[runs - 1] != folder) append(h, folder);
      return;
    }
    if (h > highest) {
      if (runs > 0 && h > highest + 1) append(highest + 1, -1); // a gap: handles never placed
      append(h, folder);
      highest = h;
      return;
    }
    int i = find(h);
    if (i < 0) {
      // below every run so far (a handle reserved before the first one placed)
      if (h + 1 < Integer.toUnsignedLong(start[0])) insert(0, h + 1, -1);
      insert(0, h, folder);
      if (runs > 1 && owner[1] == folder) delete(1);
      return;
    }
    if (owner[i] == folder) return;
    long runEnd = i + 1 < runs ? Integer.toUnsignedLong(start[i + 1]) : highest + 1;
    long runStart = Integer.toUnsignedLong(start[i]);
    int old = owner[i];
    // split [runStart, runEnd) into [runStart, h) old, [h, h+1) folder, [h+1, runEnd) old
    if (h + 1 < runEnd) insert(i + 1, h + 1, old);
    if (h > runStart) {
      insert(i + 1, h, folder);
    } else {
      owner[i] = folder;
    }
    // merge with equal neighbours so a folder's handles stay one run
    int at = h > runStart ? i + 1 : i;
    if (at + 1 < runs && owner[at + 1] == owner[at]) delete(at + 1);
    if (at > 0 && owner[at - 1] == owner[at]) delete(at);
  }

  /** Runs held, for the benchmarks and the tests of this class. */
  int runs() { return runs; }

  private int find(long h) {
    int lo = 0;
    int hi = runs - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (Integer.toUnsignedLong(start[mid]) <= h) lo = mid; else hi = mid - 1;
    }
    return Integer.toUnsignedLong(start[lo]) <= h ? lo : -1;
  }

  private void append(long from, int folder) { insert(runs, from, folder); }

  private void insert(int at, long from, int folder) {
    if (runs == start.length) {
      start = Arrays.copyOf(start, runs * 2);
      owner = Arrays.copyOf(owner, runs * 2);
    }
    System.arraycopy(start, at, start, at + 1, runs - at);
    System.arraycopy(owner, at, owner, at + 1, runs - at);
    start[at] = (int) from;
    owner[at] = folder;
    runs++;
  }

  private void delete(int at) {
    System.arraycopy(start, at + 1, start, at, runs - at - 1);
    System.arraycopy(owner, at + 1, owner, at, runs - at - 1);
    runs--;
  }
}
