package io.mtpbridge.device;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Packaging step (run by the package phase, not shipped in the jar): copies JNA's native part for
 * every Linux architecture out of mtpd.jar into {@code jna/NATIVE-VERSION/PREFIX/libjnidispatch.so}
 * next to it, where mtpd points JNA at it ({@link JnaLibraryPath#setShippedBootPath}) instead of
 * letting JNA unpack it into a temporary file at every start.
 *
 * <pre>  ShippedJnaLibraries target/mtpd.jar</pre>
 */
public final class ShippedJnaLibraries {
  private static final Pattern LINUX_LIBRARY = Pattern.compile("com/sun/jna/(linux-[^/]+)/" + Pattern.quote(JnaLibraryPath.LIBRARY));

  private ShippedJnaLibraries() {}

  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    Path root = jar.resolveSibling(JnaLibraryPath.SHIPPED_FOLDER);
    int copied = copy(jar, root.resolve(Native.VERSION_NATIVE));
    if (copied == 0) throw new IOException(jar + " holds no " + JnaLibraryPath.LIBRARY + " for Linux: is JNA in it?");
    System.out.println(copied + " JNA native libraries in " + root);
  }

  /** Copies each Linux libjnidispatch.so of {@code jar} to {@code folder/PREFIX/}; returns how many. */
  static int copy(Path jar, Path folder) throws IOException {
    int copied = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        Matcher m = LINUX_LIBRARY.matcher(entry.getName());
        if (!m.matches()) continue;
        Path target = Files.createDirectories(folder.resolve(m.group(1))).resolve(JnaLibraryPath.LIBRARY);
        Path part = target.resolveSibling(JnaLibraryPath.LIBRARY + ".part");
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        copied++;
      }
    }
    return copied;
  }
}
