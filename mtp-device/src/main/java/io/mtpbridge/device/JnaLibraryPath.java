package io.mtpbridge.device;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Tells JNA where the system's libraries are (its property {@code jna.platform.library.path}):
 * the folder of the libc this process already runs on. Left unset, JNA's first use runs
 * {@code ldconfig -p} in a child process to list the library folders: a process start (the JDK's
 * spawn helper, a reaper thread, the process classes) that costs seconds under emulation and on a
 * small board, and about a megabyte resident, all to find libc, the only library mtpd binds
 * (FunctionFS, syncfs, the backup engine's file calls), which it then finds in that folder as it
 * did before. A value the person set ({@code -Djna.platform.library.path=...}) is kept; where
 * libc cannot be told from the process's mappings, JNA looks as it always did.
 */
final class JnaLibraryPath {
  static final String PROPERTY = "jna.platform.library.path";
  /** Where JNA looks for its own native part (libjnidispatch.so) before it unpacks the one in its jar. */
  static final String BOOT_PROPERTY = "jna.boot.library.path";
  /**
   * The folder next to mtpd.jar that holds JNA's native part for each Linux architecture, made at
   * package time from the jar (ShippedJnaLibraries, test sources): jna/NATIVE-VERSION/PREFIX. The
   * version in the path means a jar with another JNA never loads a native part it does not match
   * (JNA would refuse to start with it); it then unpacks its own, as before.
   */
  static final String SHIPPED_FOLDER = "jna";
  static final String LIBRARY = "libjnidispatch.so";

  private JnaLibraryPath() {}

  /** Sets the property from /proc/self/maps, unless it is set already; call before JNA's first use. */
  static void setFromRunningLibc() {
    if (System.getProperty(PROPERTY) != null) return;
    String folder = libcFolder(Path.of("/proc/self/maps"));
    if (folder != null) System.setProperty(PROPERTY, folder);
  }

  /**
   * Points JNA at the native part shipped next to mtpd.jar (see {@link #SHIPPED_FOLDER}), unless
   * the property is set already or there is none for this JNA and architecture. Otherwise JNA
   * unpacks its libjnidispatch.so from the jar into a new temporary file at every start: ~130 KB
   * written (to a board's flash, or to a /tmp held in memory), and {@code File.createTempFile}'s
   * SecureRandom loads the JDK's security providers, ~100 classes and 0.4 MB resident, for a
   * file name. Call before JNA's first use; loads JNA's Platform, not its native part.
   */
  static void setShippedBootPath() {
    if (System.getProperty(BOOT_PROPERTY) != null) return;
    Path folder = shippedFolder(jarOf(JnaLibraryPath.class), Native.VERSION_NATIVE, Platform.RESOURCE_PREFIX);
    if (folder != null) System.setProperty(BOOT_PROPERTY, folder.toString());
  }

  /** The folder of JNA's native part next to {@code jar} for that version and architecture, or null when it has no such file. */
  static Path shippedFolder(Path jar, String nativeVersion, String prefix) {
    if (jar == null || jar.getParent() == null) return null;
    Path folder = jar.getParent().resolve(SHIPPED_FOLDER).resolve(nativeVersion).resolve(prefix);
    return Files.isRegularFile(folder.resolve(LIBRARY)) ? folder : null;
  }

  /** The jar {@code c} was loaded from, or null (a classes folder: tests, a checkout's classes). */
  static Path jarOf(Class<?> c) {
    try {
      CodeSource source = c.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      if (url == null || !"file".equals(url.getProtocol())) return null;
      Path p = Path.of(url.toURI());
      return p.getFileName() != null && p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p) ? p : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The folder of the first libc ({@code libc.so.N}, or glibc's older {@code libc-2.NN.so}) mapped in {@code maps}, or null. */
  static String libcFolder(Path maps) {
    try (BufferedReader r = Files.newBufferedReader(maps, StandardCharsets.ISO_8859_1)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int path = line.indexOf('/'); // address, permissions, offset, device and inode hold none
        int name = line.lastIndexOf('/');
        if (path < 0 || name <= path) continue;
        String file = line.substring(name + 1);
        if (file.startsWith("libc.so.") || file.startsWith("libc-") && file.endsWith(".so")) return line.substring(path, name);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
