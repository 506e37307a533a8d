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
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
 * The folder must be this user's own, not a link, and writable by nobody else (a folder someone
 * else made in a shared /tmp is never used). Whenever anything here does not work, usb4java's
 * own loader runs as before.
 */
final class NativeLibraryCache {
  private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private NativeLibraryCache() {}

  /** Loads libusb4java: from the cache folder when possible, else through usb4java's own loader. */
  static void load() {
    Path dir = folder();
    if (dir == null || !loadFrom(dir)) Loader.load();
  }

  /**
   * Loads the library through the cache in {@code dir} and tells usb4java's loader it is loaded;
   * false (nothing loaded) when the cache cannot be used.
   */
  static boolean loadFrom(Path dir) {
    Field loaded = loadedFlag();
    URL url = resource();
    if (loaded == null || url == null || !url.getProtocol().equals("jar")) return false;
    Path lib;
    try {
      lib = cached(dir, url);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (lib == null) return false;
    System.load(lib.toString());
    try {
      loaded.setBoolean(null, true);
    } catch (IllegalAccessException e) {
      // cannot happen once accessible; usb4java would load a second copy, which works too
    }
    return true;
  }

  /**
   * The library's path in {@code dir}, written there first when missing or not what the jar
   * holds; null when {@code dir} is not a private folder of this user.
   */
  static Path cached(Path dir, URL url) throws IOException {
    if (!privateFolder(dir)) return null;
    URLConnection c = url.openConnection();
    if (!(c instanceof JarURLConnection jc)) return null;
    JarEntry entry = jc.getJarEntry();
    long size = entry.getSize();
    long crc = entry.getCrc();
    if (size < 0 || crc < 0) return null;
    String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    Path lib = dir.resolve(String.format(Locale.ROOT, "%s-%08x-%d%s", dot < 0 ? name : name.substring(0, dot), crc, size,
        dot < 0 ? "" : name.substring(dot)));
    if (intact(lib, size, crc)) return lib;
    Path tmp = null;
    try {
      // a name of our own (CREATE_NEW never opens what someone else made), renamed over the
      // final name only once complete: a concurrent start sees the old file or the new one
      for (int i = 0; tmp == null; i++) {
        Path t = dir.resolve("." + lib.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
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

  /** {@code lib} is a regular file (not a link) of {@code size} bytes whose CRC-32 is {@code crc}. */
  static boolean intact(Path lib, long size, long crc) throws IOException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(lib, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException missing) {
      return false;
    }
    if (!a.isRegularFile() || a.size() != size) return false;
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
  }

  /**
   * {@code dir} exists (made with mode 700 when missing, its parents too), and it and its parent
   * are folders, not links, of this user that nobody else may write to (so nobody else can swap
   * what is in it between the check and the load).
   */
  static boolean privateFolder(Path dir) {
    try {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir.getParent());
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        } catch (FileAlreadyExistsException raced) {
          // made meanwhile (by us or someone else): checked below like any other
        }
      }
      int uid = currentUid();
      return ownedAndClosed(dir, uid) && ownedAndClosed(dir.getParent(), uid);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean ownedAndClosed(Path dir, int uid) throws IOException {
    PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory()) return false;
    Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!(owner instanceof Integer o) || o != uid) return false;
    for (PosixFilePermission p : GROUP_OR_OTHER_WRITE) if (a.permissions().contains(p)) return false;
    return true;
  }

  /**
   * This process's effective uid, the owner of files it creates: /proc/self belongs to it (Java
   * has no getuid(), and user.name can be a name that maps to another uid).
   */
  private static int currentUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  /**
   * The cache folder: {@code $XDG_CACHE_HOME/mtpbridge/native} (default {@code ~/.cache}), else
   * {@code java.io.tmpdir/mtpbridge-<user>/native}; null when none can be named.
   */
  static Path folder() {
    try {
      String xdg = System.getenv("XDG_CACHE_HOME");
      if (xdg != null && xdg.startsWith("/")) return Path.of(xdg, "mtpbridge", "native");
      String home = System.getProperty("user.home");
      if (home != null && home.startsWith("/") && !home.equals("/") && Files.isDirectory(Path.of(home))) {
        return Path.of(home, ".cache", "mtpbridge", "native");
      }
      String tmp = System.getProperty("java.io.tmpdir");
      String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
      if (tmp != null && !user.isEmpty()) return Path.of(tmp, "mtpbridge-" + user, "native");
    } catch (RuntimeException e) {
      // an unusable path: no cache
    }
    return null;
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
