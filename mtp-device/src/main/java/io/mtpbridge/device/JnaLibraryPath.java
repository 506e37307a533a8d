package io.mtpbridge.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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

  private JnaLibraryPath() {}

  /** Sets the property from /proc/self/maps, unless it is set already; call before JNA's first use. */
  static void setFromRunningLibc() {
    if (System.getProperty(PROPERTY) != null) return;
    String folder = libcFolder(Path.of("/proc/self/maps"));
    if (folder != null) System.setProperty(PROPERTY, folder);
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
