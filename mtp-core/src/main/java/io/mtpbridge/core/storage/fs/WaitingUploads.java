package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received files of one storage whose data is complete but not yet durable: they keep their hidden
 * temporary names until one {@link DataSync} for the whole batch returned, then take their final
 * names (never over another file) and their folders are synced. When a batch is synced is the
 * {@link CommitPolicy}'s rule; {@link #flush()} syncs what waits now.
 *
 * <p>A waiting file is already stored as far as the host knows: its name counts as taken, and the
 * storage answers stat from the temporary file. Two things can happen to it on the device side
 * before its name is taken, and neither loses the host's data or the device's: a file of the same
 * name created meanwhile keeps its name, the received one takes "name (2).ext" (logged; the folder
 * is reported changed, so the host sees both); a folder deleted or moved meanwhile takes the file
 * with it (logged as an error).
 */
final class WaitingUploads {
  private static final Logger log = LoggerFactory.getLogger(WaitingUploads.class);

  /** One thread for every storage's windows, only while something waits (an idle device runs none). */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  /** A received file: its temporary name, the name it takes, the host's path of its folder, its size. */
  record Waiting(Path temp, Path target, ObjectPath folder, long bytes) {}

  private final FileSystemStorage storage;
  private final CommitPolicy policy;
  /** Held while a batch is synced and named, so one who flushes returns only after every earlier file is durable. */
  private final ReentrantLock flushing = new ReentrantLock();
  /** By final name; guarded by this. An entry leaves only once its final name is taken (or it is lost). */
  private final Map<Path, Waiting> waiting = new LinkedHashMap<>();
  private long bytes;
  private ScheduledFuture<?> windowEnd;
  /** For tests: batches synced. */
  private long batches;

  WaitingUploads(FileSystemStorage storage, CommitPolicy policy) {
    this.storage = storage;
    this.policy = policy;
  }

  /**
   * Adds a complete file. Syncs at once (in this call) when the batch is now full or the policy
   * syncs every commit; the host has not been answered for this file then, so a device-side file
   * that took its name meanwhile keeps it and this one is refused rather than renamed.
   *
   * @return null, or why this file was not stored when the batch was synced here (it is gone: the
   *     caller answers the host with that error)
   */
  StorageError add(Waiting w) {
    boolean now;
    synchronized (this) {
      waiting.put(w.target(), w);
      bytes += w.bytes();
      now = policy.immediate() || waiting.size() >= policy.maxFiles() || bytes >= policy.maxBytes();
      if (!now && windowEnd == null) {
        windowEnd = TIMER.schedule(this::flushAtWindowEnd, policy.window().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (!now) return null;
    return flush(w.target()).get(w.target());
  }

  /** The temporary file holding what will be {@code target}, or null when nothing waits for that name. */
  synchronized Path temporaryFor(Path target) {
    Waiting w = waiting.get(target);
    return w == null ? null : w.temp();
  }

  synchronized boolean holds(Path target) { return waiting.containsKey(target); }

  /** True when a file waits to be named in folder {@code dir}. */
  synchronized boolean anyIn(Path dir) {
    for (Path t : waiting.keySet()) if (dir.equals(t.getParent())) return true;
    return false;
  }

  synchronized boolean isEmpty() { return waiting.isEmpty(); }

  synchronized long batches() { return batches; }

  private void flushAtWindowEnd() {
    try {
      flush();
    } catch (RuntimeException | Error e) {
      log.error("syncing received files failed unexpectedly", e);
    }
  }

  /**
   * Makes every file waiting now durable and gives it its name; returns once done (waiting for a
   * batch another thread is syncing). Never throws: a file that could not be made durable is
   * removed, logged and reported.
   */
  void flush() { flush(null); }

  /**
   * {@link #flush()}; {@code unanswered} is the file whose commit syncs (its host is not answered
   * yet): a name conflict refuses it instead of renaming it.
   *
   * @return the final names of the files that were not stored, and why
   */
  private Map<Path, StorageError> flush(Path unanswered) {
    flushing.lock();
    try {
      List<Waiting> batch;
      synchronized (this) {
        if (windowEnd != null) {
          windowEnd.cancel(false);
          windowEnd = null;
        }
        if (waiting.isEmpty()) return Map.of();
        batch = new ArrayList<>(waiting.values());
        batches++;
      }
      List<Path> temps = new ArrayList<>(batch.size());
      for (Waiting w : batch) temps.add(w.temp());
      try {
        policy.sync().sync(temps);
      } catch (IOException | RuntimeException e) {
        return lose(batch, StorageError.IO_FAILURE, "the disk reported an error while making it durable (" + e + ")");
      }
      Set<Path> folders = new LinkedHashSet<>();
      Map<Path, StorageError> lost = new HashMap<>();
      for (Waiting w : batch) {
        try {
          if (w.target().equals(unanswered)) {
            NoReplace.take(w.temp(), w.target());
          } else {
            name(w);
          }
          folders.add(w.target().getParent());
          done(w);
        } catch (FileAlreadyExistsException e) {
          // only the unanswered file: its host hears that the name is taken, as before batches
          discard(w);
          lost.put(w.target(), StorageError.ALREADY_EXISTS);
        } catch (IOException | RuntimeException e) {
          lost.putAll(lose(List.of(w), StorageError.IO_FAILURE,
              "it could not be given its name (" + e + "); was its folder moved or deleted on the device?"));
        }
      }
      for (Path f : folders) NoReplace.syncDirectory(f);
      return lost;
    } finally {
      flushing.unlock();
    }
  }

  /** Gives {@code w} its final name, or a free variant of it when a device-side file took the name meanwhile. */
  private void name(Waiting w) throws IOException {
    try {
      NoReplace.take(w.temp(), w.target());
      return;
    } catch (FileAlreadyExistsException e) {
      // handled below
    }
    String name = w.target().getFileName().toString();
    for (int n = 2; ; n++) {
      Path other = w.target().resolveSibling(variant(name, n));
      try {
        NoReplace.take(w.temp(), other);
        log.warn("{}: a file of that name was created on the device while the received one waited for its data sync; "
            + "the received file is stored as {}", w.target(), other.getFileName());
        report(w.folder());
        return;
      } catch (FileAlreadyExistsException taken) {
        if (n >= 1000) throw taken;
      }
    }
  }

  /**
   * "name (n).ext" (the extension kept for the file managers that go by it), within the limits
   * every name here already met (254 UTF-16 units for MTP, 255 UTF-8 bytes for the file system):
   * a name at the limit gives up the end of its stem, or of the whole name if the extension alone
   * is that long.
   */
  static String variant(String name, int n) {
    String tag = " (" + n + ")";
    int dot = name.lastIndexOf('.');
    String stem = dot <= 0 ? name : name.substring(0, dot);
    String ext = dot <= 0 ? "" : name.substring(dot);
    int[] room = room(tag + ext);
    if (room[0] < 0 || room[1] < 0) {
      stem = name;
      ext = "";
      room = room(tag);
    }
    return ObjectNames.prefixWithin(stem, room[0], room[1]) + tag + ext;
  }

  /** UTF-16 units and UTF-8 bytes a name may still use beside {@code fixed}. */
  private static int[] room(String fixed) {
    return new int[] {PtpString.MAX_CHARS - fixed.length(), FileSystemKind.NAME_MAX_BYTES - fixed.getBytes(StandardCharsets.UTF_8).length};
  }

  private synchronized void forget(Waiting w) {
    if (waiting.remove(w.target()) != null) bytes -= w.bytes();
  }

  private void done(Waiting w) {
    forget(w);
    storage.forgetTemporary(w.temp());
  }

  private Map<Path, StorageError> lose(List<Waiting> files, StorageError error, String why) {
    Map<Path, StorageError> lost = new HashMap<>();
    for (Waiting w : files) {
      log.error("{}: the received file is lost: {}", w.target(), why);
      discard(w);
      report(w.folder());
      lost.put(w.target(), error);
    }
    return lost;
  }

  private void discard(Waiting w) {
    try {
      Files.deleteIfExists(w.temp());
    } catch (IOException ignored) {
      // the next listing of its folder removes it
    }
    done(w);
  }

  private void report(ObjectPath folder) {
    StorageListener l = storage.listener();
    if (l != null) l.folderChanged(folder);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "mtp-upload-sync");
      th.setDaemon(true);
      return th;
    });
    t.setKeepAliveTime(5, TimeUnit.SECONDS);
    t.allowCoreThreadTimeOut(true);
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
