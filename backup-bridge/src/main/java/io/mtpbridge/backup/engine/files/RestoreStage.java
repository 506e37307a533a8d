package io.mtpbridge.backup.engine.files;

import io.mtpbridge.backup.archive.FileSnapshot;
import io.mtpbridge.backup.registration.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A passive owner's restore on one volume, in two steps so that a session changes nothing until it
 * is committed:
 * <ol>
 * <li>{@link #stage}: each file is written to a hidden temporary file ({@code .mtpbridge-<random>.restoring})
 *   in the deepest folder of its target that exists already, with its final owner, mode and mtime.
 *   No folder is created and no visible file changes. A later archive of the chain replaces what an
 *   earlier one staged for the same path.</li>
 * <li>{@link #apply}: the missing folders are created, each staged file takes its target's place
 *   (renameat2 RENAME_EXCHANGE, so the previous version keeps the temporary name until the end),
 *   and, with delete_before_restore, files the latest snapshot does not list are moved aside.
 *   Every step is recorded: {@link Applied#rollback()} puts everything back, {@link Applied#finish()}
 *   removes the previous versions.</li>
 * </ol>
 * Every name is opened relative to a folder descriptor without following links (see {@link Dir}),
 * so an owner's links lead the engine nowhere, whenever they are planted.
 */
public final class RestoreStage implements AutoCloseable {
  static final String TEMP_PREFIX = ".mtpbridge-", STAGED = ".restoring", PREVIOUS = ".previous", REMOVED = ".removed";
  private static final int FOLDER_MODE = 0755;

  private record Staged(String folder, String tempName) {}

  private final OwnerFiles files;
  private final Registration.Selection selection;
  private final int uid;
  private final TreeMap<String, Staged> staged = new TreeMap<>();

  private RestoreStage(OwnerFiles files, Registration.Selection selection, int uid) {
    this.files = files;
    this.selection = selection;
    this.uid = uid;
  }

  /** A stage for the owner of uid {@code uid} whose {@code selection} lies on the volume at {@code volumeRoot}. */
  public static RestoreStage open(Path volumeRoot, Registration.Selection selection, int uid) throws IOException {
    return new RestoreStage(OwnerFiles.open(volumeRoot), selection, uid);
  }

  /** How many files are staged. */
  public int size() { return staged.size(); }

  /**
   * Writes {@code data} ({@code size} bytes) as the staged version of {@code rel}, owned by the
   * owner's uid and its folder's group, with {@code mode} and {@code mtime}.
   */
  public void stage(String rel, InputStream data, long size, int mode, long mtime) throws IOException {
    int slash = rel.lastIndexOf('/');
    String folder = slash < 0 ? "" : rel.substring(0, slash);
    // The deepest folder on the way that exists: the temporary file lies on the same file system
    // as the target (a folder that does not exist yet cannot be another mount).
    String existing = "";
    Dir d = files.walk("");
    try {
      if (!folder.isEmpty()) {
        for (String part : folder.split("/")) {
          Dir next = d.openDirIfExists(part);
          if (next == null) break;
          d.close();
          d = next;
          existing = existing.isEmpty() ? part : existing + "/" + part;
        }
      }
      if (existing.equals(folder)) {
        Stat target = d.stat(rel.substring(slash + 1));
        if (target != null && target.isDirectory()) throw new IOException(rel + " is a folder on the device");
      }
      int gid = d.stat().gid();
      FileWriter out = d.createTemp(TEMP_PREFIX, STAGED);
      boolean ok = false;
      try (out) {
        long n = copy(data, out);
        if (n != size) throw new IOException(rel + ": " + n + " bytes staged, " + size + " expected");
        out.chmod(mode);
        out.chown(uid, gid);
        out.setModified(mtime);
        ok = true;
      } finally {
        if (!ok) d.unlink(out.name());
      }
      Staged previous = staged.put(rel, new Staged(existing, out.name()));
      if (previous != null) drop(previous);
    } catch (SecurityException | UnsupportedOperationException e) {
      throw new IOException(rel + ": " + e.getMessage(), e);
    } finally {
      d.close();
    }
  }

  /**
   * Copies in 256 KiB pieces: each write to a FileWriter is a copy into native memory and one
   * native call, and InputStream.transferTo's 8 KiB pieces make that 128 Ki calls per GiB.
   */
  private static long copy(InputStream in, FileWriter out) throws IOException {
    byte[] buf = COPY_BUFFERS.get();
    long total = 0;
    for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }

  private static final ThreadLocal<byte[]> COPY_BUFFERS = ThreadLocal.withInitial(() -> new byte[256 * 1024]);

  private void drop(Staged s) {
    try (Dir d = files.walk(s.folder())) {
      if (d != null) d.unlink(s.tempName());
    } catch (IOException ignored) {
      // the owner moved it away: nothing of ours is left to remove
    }
  }

  /** Removes every staged file (abort, or the owner failed before commit). */
  public void discard() {
    for (Staged s : staged.values()) drop(s);
    staged.clear();
  }

  /**
   * Puts the staged files in place. {@code latest} (the newest files.snapshot of the chain, or null)
   * decides what is applied: a staged file it does not list was deleted later in the chain; with
   * {@code deleteOthers} every other file it does not list is moved aside too. On failure everything
   * done so far is rolled back before the exception leaves.
   */
  public Applied apply(FileSnapshot latest, boolean deleteOthers) throws IOException {
    Applied a = new Applied();
    try {
      for (Map.Entry<String, Staged> e : staged.entrySet()) {
        String rel = e.getKey();
        if (latest != null && !latest.contains(rel)) continue;
        applyOne(a, rel, e.getValue());
      }
      if (deleteOthers && latest != null) {
        TreeMap<String, OwnerFiles.Found> now = files.scan(selection, skipped -> {});
        for (String rel : now.keySet()) if (!latest.contains(rel)) removeOne(a, rel);
      }
      for (Map.Entry<String, Staged> e : staged.entrySet()) {
        if (latest != null && !latest.contains(e.getKey())) drop(e.getValue());
      }
      staged.clear();
      return a;
    } catch (IOException | RuntimeException e) {
      String undo = a.rollback();
      if (undo != null) e.addSuppressed(new IOException(undo));
      throw e;
    }
  }

  private void applyOne(Applied a, String rel, Staged s) throws IOException {
    int slash = rel.lastIndexOf('/');
    String folder = slash < 0 ? "" : rel.substring(0, slash);
    String name = rel.substring(slash + 1);
    try (Dir target = files.walk(folder, true, uid, FOLDER_MODE, created -> a.steps.push(new Step.CreatedFolder(created)));
         Dir temp = files.walk(s.folder())) {
      if (temp == null) throw new IOException(rel + ": its staged copy is gone (" + s.folder() + " was removed)");
      Stat now = target.stat(name);
      if (now == null) {
        temp.renameNoReplace(s.tempName(), target, name);
        a.steps.push(new Step.Created(rel));
        return;
      }
      if (now.isDirectory()) throw new IOException(rel + " is a folder on the device");
      try {
        // One step: the target gets the restored file, the temporary name the previous version.
        temp.exchange(s.tempName(), target, name);
        a.steps.push(new Step.Replaced(rel, s.folder(), s.tempName()));
      } catch (UnsupportedOperationException noExchange) {
        // A file system without RENAME_EXCHANGE: move the previous version aside, then rename.
        String aside = asideName(target, PREVIOUS);
        target.renameNoReplace(name, target, aside);
        a.steps.push(new Step.Replaced(rel, folder, aside));
        temp.renameNoReplace(s.tempName(), target, name);
      }
    }
  }

  private void removeOne(Applied a, String rel) throws IOException {
    int slash = rel.lastIndexOf('/');
    String folder = slash < 0 ? "" : rel.substring(0, slash);
    try (Dir d = files.walk(folder)) {
      if (d == null) return;
      String aside = asideName(d, REMOVED);
      d.renameNoReplace(rel.substring(slash + 1), d, aside);
      a.steps.push(new Step.Removed(rel, folder, aside));
    }
  }

  private static String asideName(Dir d, String suffix) throws IOException {
    for (int i = 0; i < 50; i++) {
      String n = TEMP_PREFIX + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16) + suffix;
      if (d.stat(n) == null) return n;
    }
    throw new IOException(d.path() + ": no free temporary name");
  }

  /** What {@link #apply} changed, newest first. */
  private sealed interface Step {
    record CreatedFolder(String rel) implements Step {}

    record Created(String rel) implements Step {}

    /** The previous version of {@code rel} waits as {@code folder}/{@code name}. */
    record Replaced(String rel, String folder, String name) implements Step {}

    record Removed(String rel, String folder, String name) implements Step {}
  }

  /** The changes of one {@link #apply}: kept until {@link #finish()} or undone by {@link #rollback()}. */
  public final class Applied {
    private final Deque<Step> steps = new ArrayDeque<>();

    /** How many files were put in place or removed. */
    public int changes() {
      int n = 0;
      for (Step s : steps) if (!(s instanceof Step.CreatedFolder)) n++;
      return n;
    }

    /** Removes the previous versions: the restore of this owner is final. */
    public void finish() {
      for (Step s : steps) {
        String folder = s instanceof Step.Replaced r ? r.folder() : s instanceof Step.Removed m ? m.folder() : null;
        String name = s instanceof Step.Replaced r ? r.name() : s instanceof Step.Removed m ? m.name() : null;
        if (folder == null) continue;
        try (Dir d = files.walk(folder)) {
          if (d != null) d.unlink(name);
        } catch (IOException ignored) {
          // a hidden leftover at worst; backups skip the engine's temporary names
        }
      }
      steps.clear();
    }

    /** Undoes every change, newest first; returns null, or what could not be undone. */
    public String rollback() {
      StringBuilder failed = new StringBuilder();
      while (!steps.isEmpty()) {
        Step s = steps.pop();
        try {
          undo(s);
        } catch (IOException | RuntimeException e) {
          if (failed.length() > 0) failed.append("; ");
          failed.append(e.getMessage());
        }
      }
      return failed.length() == 0 ? null : "rollback incomplete: " + failed;
    }

    private void undo(Step s) throws IOException {
      if (s instanceof Step.Created c) {
        try (Dir d = files.walk(parent(c.rel()))) {
          if (d != null) d.unlink(leaf(c.rel()));
        }
      } else if (s instanceof Step.Replaced r) {
        try (Dir from = files.walk(r.folder()); Dir to = files.walk(parent(r.rel()))) {
          if (from == null || to == null) throw new IOException(r.rel() + ": cannot put the previous version back");
          from.rename(r.name(), to, leaf(r.rel()));
        }
      } else if (s instanceof Step.Removed m) {
        try (Dir d = files.walk(m.folder())) {
          if (d == null) throw new IOException(m.rel() + ": cannot put the removed file back");
          d.renameNoReplace(m.name(), d, leaf(m.rel()));
        }
      } else if (s instanceof Step.CreatedFolder f) {
        try (Dir d = files.walk(parent(f.rel()))) {
          if (d != null) d.rmdir(leaf(f.rel()));
        }
      }
    }
  }

  private static String parent(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash);
  }

  private static String leaf(String rel) { return rel.substring(rel.lastIndexOf('/') + 1); }

  /** Closes the volume; staged files stay (discard or apply first). */
  @Override public void close() { files.close(); }
}
