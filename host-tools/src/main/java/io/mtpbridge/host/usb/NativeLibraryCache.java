package io.mtpbridge.host.usb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.usb4java.Loader;

/**
 * usb4java's native library (libusb4java.so, libusb built in), kept unpacked in a per-user cache
 * folder instead of unpacked at every start. usb4java's own loader writes a fresh copy into
 * {@code java.io.tmpdir} each time (through {@code File.createTempFile}, whose SecureRandom
 * initialises the security providers), which under emulation cost a noticeable part of a short
 * command's start.
 *
 * <p>The copy is named after its content (the jar entry's CRC-32 and size), written under a
 * temporary name and renamed into place, and checked against that CRC before each load, so two
 * programs starting at once, a crash while writing or an edited file never load a wrong library.
 * The cache is used only where nobody but this user (and root) can change what is loaded: the
 * folder and every folder above it must belong to this user or root and be writable by nobody
 * else (a sticky folder such as /tmp excepted, whose entries only their owner can move), and the
 * library is loaded by that checked path with its links resolved. Whenever anything here does not
 * work (no usable folder, a read-only home, a library the system refuses to load, e.g. from a
 * {@code noexec} mount), usb4java's own loader runs as before.
 */
final class NativeLibraryCache {
  private static final int GROUP_OR_OTHER_WRITE = 0022;
  private static final int STICKY = 01000;
  /** A temporary copy older than this was left by a program that died while writing it. */
  private static final long STALE_PART_MILLIS = TimeUnit.HOURS.toMillis(1);

  private NativeLibraryCache() {}

  /** Loads libusb4java: from the cache folder when possible, else through usb4java's own loader. */
  static void load() {
    // Loader.load() is synchronized on its class: the same lock keeps the flag and the load together
    synchronized (Loader.class) {
      Field loaded = loadedFlag();
      try {
        if (loaded != null && loaded.getBoolean(null)) return;
      } catch (IllegalAccessException e) {
        loaded = null;
      }
      URL url = resource();
      if (loaded != null && url != null) {
        MarkLoaded mark = new MarkLoaded(loaded);
        for (Path dir : folders()) {
          if (loadFrom(dir, url, mark)) return;
        }
      }
      Loader.load();
    }
  }

  /**
   * Loads the library through the cache in {@code dir} and then runs {@code markLoaded}; false
   * (nothing loaded, nothing thrown) when the cache cannot be used or the library not loaded from it.
   */
  static boolean loadFrom(Path dir, URL url, Runnable markLoaded) {
    try {
      if (!url.getProtocol().equals("jar")) return false;
      Path lib = cached(dir, url);
      if (lib == null) return false;
      System.load(lib.toString());
    } catch (IOException | RuntimeException | LinkageError e) {
      // e.g. UnsatisfiedLinkError from a noexec mount: usb4java's loader gets its turn
      return false;
    }
    markLoaded.run();
    return true;
  }

  /** Sets usb4java's "already loaded" flag (a class, not a lambda: see {@link io.mtpbridge.host.Cancellation}). */
  private static final class MarkLoaded implements Runnable {
    private final Field flag;

    MarkLoaded(Field flag) { this.flag = flag; }

    @Override public void run() {
      try {
        flag.setBoolean(null, true);
      } catch (IllegalAccessException e) {
        // cannot happen once accessible; usb4java would load a second copy, which works too
      }
    }
  }

  /**
   * The library's path in {@code dir} (links resolved), written there first when missing or not
   * what the jar holds; null when {@code dir} cannot be made a private folder of this user.
   */
  static Path cached(Path dir, URL url) throws IOException {
    Path real = privateFolder(dir);
    if (real == null) return null;
    URLConnection c = url.openConnection();
    if (!(c instanceof JarURLConnection jc)) return null;
    JarEntry entry = jc.getJarEntry();
    long size = entry.getSize();
    long crc = entry.getCrc();
    if (size < 0 || crc < 0) return null;
    String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    Path lib = real.resolve(String.format(Locale.ROOT, "%s-%08x-%d%s", dot < 0 ? name : name.substring(0, dot), crc, size,
        dot < 0 ? "" : name.substring(dot)));
    if (intact(lib, size, crc)) return lib;
    removeStaleParts(real);
    Path tmp = null;
    try {
      // a name of our own (CREATE_NEW never opens what someone else made), renamed over the
      // final name only once complete: a concurrent start sees the old file or the new one
      for (int i = 0; tmp == null; i++) {
        Path t = real.resolve("." + lib.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        try (InputStream in = jc.getInputStream();
             OutputStream out = Files.newOutputStream(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          tmp = t;
          in.transferTo(out);
        } catch (FileAlreadyExistsException taken) {
          if (i > 10) throw taken;
        }
      }
      Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } finally {
      if (tmp != null) Files.deleteIfExists(tmp);
    }
    return intact(lib, size, crc) ? lib : null;
  }

  /** Temporary copies left by programs that died while writing (not those being written now). */
  private static void removeStaleParts(Path dir) {
    long before = System.currentTimeMillis() - STALE_PART_MILLIS;
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
      for (Path p : parts) {
        FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        if (t.toMillis() < before) Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // only tidying
    }
  }

  /** {@code lib} is a regular file (not a link) of {@code size} bytes whose CRC-32 is {@code crc}. */
  static boolean intact(Path lib, long size, long crc) throws IOException {
    try {
      if (!Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) || Files.size(lib) != size) return false;
      CRC32 sum = new CRC32();
      try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        while (ch.read(buf) >= 0) {
          buf.flip();
          sum.update(buf);
          buf.clear();
        }
      }
      return sum.getValue() == crc;
    } catch (NoSuchFileException missing) {
      return false;
    }
  }

  /**
   * {@code dir} made a private folder of this user: its real path (links resolved) when it exists
   * or could be made (missing folders are made with mode 700), belongs to this user, is writable by
   * nobody else, and every folder above it belongs to this user or root and is writable by nobody
   * else unless sticky; null otherwise. Nothing is made below a folder that fails the check (a
   * cache named in someone else's home is left alone).
   */
  static Path privateFolder(Path dir) {
    try {
      if (!dir.isAbsolute()) return null;
      int uid = currentUid();
      // the deepest folder that exists, its links resolved, checked from the root down
      Path existing = dir.normalize();
      List<Path> missing = new ArrayList<>();
      while (!Files.exists(existing)) {
        missing.add(0, existing.getFileName());
        existing = existing.getParent();
        if (existing == null) return null;
      }
      Path real = existing.toRealPath();
      if (!safeChain(real, uid)) return null;
      for (Path name : missing) {
        Path next = real.resolve(name.toString());
        try {
          Files.createDirectory(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
          // made meanwhile (by another start, or by someone else): checked below like any other
        }
        if (!safeFolder(next, uid, false)) return null;
        real = next;
      }
      // the folder itself is written to: it must be this user's own
      return safeFolder(real, uid, true) ? real : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Every folder from the root down to {@code real} (a path without links) passes {@link #safeFolder}. */
  private static boolean safeChain(Path real, int uid) throws IOException {
    Path p = real.getRoot();
    if (p == null || !safeFolder(p, uid, false)) return false;
    for (Path name : real) {
      p = p.resolve(name.toString());
      if (!safeFolder(p, uid, false)) return false;
    }
    return true;
  }

  /**
   * {@code dir} is a folder (not a link) of this user ({@code own}) or of this user or root, that
   * no one else may write to, unless (not {@code own}) it is sticky: there only an entry's owner
   * can move or remove it, and each entry below is checked in turn.
   */
  private static boolean safeFolder(Path dir, int uid, boolean own) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
    int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (owner != uid && (own || owner != 0)) return false;
    int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & GROUP_OR_OTHER_WRITE) == 0 || (!own && (mode & STICKY) != 0);
  }

  /**
   * This process's effective uid, the owner of files it creates: /proc/self belongs to it (Java
   * has no getuid(), and user.name can be a name that maps to another uid).
   */
  private static int currentUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /** The cache folders to try, in order (see {@link #folders(String, String, String, int)}). */
  private static List<Path> folders() {
    try {
      return folders(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"), System.getProperty("java.io.tmpdir"),
          currentUid());
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * {@code $XDG_CACHE_HOME/mtpbridge/native} (default {@code ~/.cache}), then
   * {@code java.io.tmpdir/mtpbridge-<uid>/native} (for a home that is missing, read-only or not
   * private); relative or unusable names are skipped.
   */
  static List<Path> folders(String xdgCacheHome, String home, String tmpdir, int uid) {
    List<Path> out = new ArrayList<>(2);
    try {
      if (xdgCacheHome != null && xdgCacheHome.startsWith("/")) {
        out.add(Path.of(xdgCacheHome, "mtpbridge", "native"));
      } else if (home != null && home.startsWith("/") && !home.equals("/")) {
        out.add(Path.of(home, ".cache", "mtpbridge", "native"));
      }
    } catch (RuntimeException e) {
      // an unusable path: not a candidate
    }
    try {
      if (tmpdir != null && tmpdir.startsWith("/")) out.add(Path.of(tmpdir, "mtpbridge-" + uid, "native"));
    } catch (RuntimeException e) {
      // an unusable path: not a candidate
    }
    return out;
  }

  /** The library inside usb4java's jar for this platform (usb4java's own naming), or null. */
  static URL resource() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.equals("linux")) return null;
    String platform = switch (arch) {
      case "amd64", "x86_64", "x86-64" -> "linux-x86-64";
      case "aarch64", "arm64" -> "linux-aarch64";
      case "i386", "i486", "i586", "i686", "x86" -> "linux-x86";
      case "arm", "armv7l", "armhf", "aarch32" -> "linux-arm";
      default -> null;
    };
    return platform == null ? null : Loader.class.getResource("/org/usb4java/" + platform + "/libusb4java.so");
  }

  /** usb4java's "already loaded" flag, made writable; null when this usb4java has none. */
  private static Field loadedFlag() {
    try {
      Field f = Loader.class.getDeclaredField("loaded");
      if (f.getType() != boolean.class) return null;
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
