package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.registration.Registration;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.TreeMap;

/**
 * Finds a passive owner's files on one volume, and checks restore targets. Symbolic links are
 * never followed and an include that resolves outside the volume root is ignored, so a link
 * planted in an owner's folder cannot make the engine read or write elsewhere.
 */
final class PassiveFiles {
  private PassiveFiles() {}

  /** Temporary files of a restore in progress (a crash may leave them): never backed up. */
  static final String TEMP_PREFIX = ".mtpbridge-", TEMP_SUFFIX = ".restoring";

  /** A file to back up: where it is, its size, mtime (ms) and permission bits. */
  record Found(Path path, long size, long mtime, int mode) {}

  static TreeMap<String, Found> scan(Path root, Registration.Selection sel) throws IOException {
    Path realRoot = root.toRealPath();
    TreeMap<String, Found> out = new TreeMap<>();
    for (String dir : sel.includeDirectories()) {
      Path start = root.resolve(dir);
      if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS) || !start.toRealPath().startsWith(realRoot)) continue;
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
          return sel.isExcluded(relative(root, d)) && !d.equals(start) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          if (a.isRegularFile()) add(out, root, f, a, sel);
          return FileVisitResult.CONTINUE;
        }

        @Override public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
          throw e;
        }
      });
    }
    for (String file : sel.includeFiles()) {
      Path f = root.resolve(file);
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !f.getParent().toRealPath().startsWith(realRoot)) continue;
      add(out, root, f, Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS), sel);
    }
    return out;
  }

  private static void add(TreeMap<String, Found> out, Path root, Path f, BasicFileAttributes a, Registration.Selection sel) {
    String rel = relative(root, f);
    if (sel.isExcluded(rel)) return;
    String name = f.getFileName().toString();
    if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) return;
    out.put(rel, new Found(f, a.size(), a.lastModifiedTime().toMillis(), modeOf(f)));
  }

  static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
  }

  private static int modeOf(Path f) {
    try {
      return (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 0644;
    }
  }

  /** True when the owner's selection covers {@code rel}: restore writes nowhere else. */
  static boolean covers(Registration.Selection sel, String rel) {
    if (sel.isExcluded(rel)) return false;
    if (sel.includeFiles().contains(rel)) return true;
    for (String d : sel.includeDirectories()) if (rel.startsWith(d + "/")) return true;
    return false;
  }

  /** The restore target for {@code rel}, its parent created and checked to lie inside the volume. */
  static Path target(Path root, String rel) throws IOException {
    Path realRoot = root.toRealPath();
    Path target = root.resolve(rel).normalize();
    if (!target.startsWith(root.normalize())) throw new IOException(rel + " lies outside the volume");
    Path parent = Files.createDirectories(target.getParent());
    if (!parent.toRealPath().startsWith(realRoot)) throw new IOException(rel + ": a symbolic link leads outside the volume");
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) throw new IOException(rel + " is a directory on the device");
    return target;
  }
}
