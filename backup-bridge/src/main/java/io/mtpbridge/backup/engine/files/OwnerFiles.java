package io.mtpbridge.backup.engine.files;

import io.mtpbridge.backup.registration.Registration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A passive owner's files on one volume, found and read without following a single symbolic link:
 * every folder is opened one name at a time from the volume root (openat with O_NOFOLLOW), so a
 * link an owner plants anywhere on the way — to a folder outside the volume or into another
 * owner's area, or swapped in while the engine is walking — ends the walk there instead of being
 * followed. Links are never backed up; neither are the engine's own temporary files.
 */
public final class OwnerFiles implements AutoCloseable {
  /** Deepest folder nesting walked below a volume root. */
  static final int MAX_DEPTH = 256;

  /** A file to back up: relative path, size, mtime (ms) and permission bits. */
  public record Found(String path, long size, long mtime, int mode) {}

  private final Dir root;
  // The folder of the last file opened: files come in path order, so most share it.
  private String cachedFolder;
  private Dir cachedDir;

  private OwnerFiles(Dir root) { this.root = root; }

  /** Opens the volume at {@code volumeRoot} (configuration, so the root itself may be a link). */
  public static OwnerFiles open(Path volumeRoot) throws IOException { return new OwnerFiles(Dir.open(volumeRoot)); }

  /** True for the engine's own temporary names (a restore in progress, or one a crash cut short). */
  public static boolean isEngineTemp(String name) {
    return name.startsWith(RestoreStage.TEMP_PREFIX)
        && (name.endsWith(RestoreStage.STAGED) || name.endsWith(RestoreStage.PREVIOUS) || name.endsWith(RestoreStage.REMOVED));
  }

  /**
   * Every regular file the selection covers, by relative path. What cannot be followed (a link, a
   * name that is not UTF-8) is passed to {@code skipped} with the reason.
   */
  public TreeMap<String, Found> scan(Registration.Selection sel, Consumer<String> skipped) throws IOException {
    TreeMap<String, Found> out = new TreeMap<>();
    for (String dir : sel.includeDirectories()) {
      Dir d;
      try {
        d = walk(dir);
      } catch (Posix.PosixException e) {
        skipped.accept(e.getMessage());
        continue;
      }
      if (d == null) continue;
      try (d) {
        collect(d, dir, sel, out, skipped, 0);
      }
    }
    for (String file : sel.includeFiles()) {
      if (sel.isExcluded(file)) continue;
      int slash = file.lastIndexOf('/');
      Dir parent;
      try {
        parent = slash < 0 ? null : walk(file.substring(0, slash));
      } catch (Posix.PosixException e) {
        skipped.accept(e.getMessage());
        continue;
      }
      if (slash >= 0 && parent == null) continue;
      Dir in = parent == null ? root : parent;
      try {
        Stat s = in.stat(file.substring(slash + 1));
        if (s != null && s.isFile()) out.put(file, new Found(file, s.size(), s.mtimeMillis(), s.mode()));
        else if (s != null && s.isLink()) skipped.accept(file + ": a symbolic link (not followed)");
      } finally {
        if (parent != null) parent.close();
      }
    }
    return out;
  }

  private void collect(Dir d, String rel, Registration.Selection sel, TreeMap<String, Found> out, Consumer<String> skipped,
      int depth) throws IOException {
    if (depth > MAX_DEPTH) throw new IOException(rel + ": folders nested deeper than " + MAX_DEPTH);
    for (Dir.Entry e : d.list(skipped)) {
      String name = e.name();
      if (isEngineTemp(name)) continue;
      String path = rel + "/" + name;
      if (sel.isExcluded(path)) continue;
      if (e.dtype() == Dir.Entry.DT_LNK) {
        skipped.accept(path + ": a symbolic link (not followed)");
        continue;
      }
      if (e.dtype() == Dir.Entry.DT_DIR || e.dtype() == Dir.Entry.DT_UNKNOWN) {
        Dir sub;
        try {
          sub = d.openDir(name);
        } catch (Posix.PosixException notDir) {
          if (notDir.errno == Posix.ELOOP) skipped.accept(path + ": a symbolic link (not followed)");
          if (e.dtype() == Dir.Entry.DT_DIR || notDir.errno != Posix.ENOTDIR) continue;
          sub = null;
        }
        if (sub != null) {
          try {
            collect(sub, path, sel, out, skipped, depth + 1);
          } finally {
            sub.close();
          }
          continue;
        }
      }
      Stat s = d.stat(name);
      if (s != null && s.isFile()) out.put(path, new Found(path, s.size(), s.mtimeMillis(), s.mode()));
    }
  }

  /**
   * Opens the folder at {@code rel} (components separated by '/') one name at a time; null when a
   * component does not exist; a link or a file on the way is an error. With {@code create},
   * missing folders are created (0700 until they are given to {@code uid} with {@code mode}) and
   * passed to {@code created}.
   */
  Dir walk(String rel) throws IOException { return walk(rel, false, 0, 0, null); }

  Dir walk(String rel, boolean create, int uid, int mode, Consumer<String> created) throws IOException {
    if (rel.isEmpty()) return reopenRoot();
    Dir d = reopenRoot();
    String sofar = "";
    try {
      for (String part : rel.split("/")) {
        sofar = sofar.isEmpty() ? part : sofar + "/" + part;
        Dir next = d.openDirIfExists(part);
        if (next == null) {
          if (!create) {
            d.close();
            return null;
          }
          d.mkdir(part, 0700);
          next = d.openDir(part);
          if (created != null) created.accept(sofar);
          try {
            next.own(uid, d.stat().gid(), mode);
          } catch (IOException e) {
            next.close();
            throw e;
          }
        }
        d.close();
        d = next;
      }
      return d;
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** A fresh descriptor of the root (so every walk owns what it closes). */
  private Dir reopenRoot() throws IOException {
    return root.openDirSelf();
  }

  /** Opens {@code rel} (a path {@link #scan} found) for reading, never through a link. */
  public FileReader openRead(String rel) throws IOException {
    int slash = rel.lastIndexOf('/');
    String folder = slash < 0 ? "" : rel.substring(0, slash);
    if (cachedDir == null || !folder.equals(cachedFolder)) {
      if (cachedDir != null) cachedDir.close();
      cachedDir = null;
      cachedDir = walk(folder);
      cachedFolder = folder;
      if (cachedDir == null) throw new IOException(folder + ": no longer exists");
    }
    return cachedDir.openRead(rel.substring(slash + 1));
  }

  Dir root() { return root; }

  @Override public void close() {
    if (cachedDir != null) cachedDir.close();
    root.close();
  }
}
