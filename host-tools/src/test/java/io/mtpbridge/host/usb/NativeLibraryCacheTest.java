package io.mtpbridge.host.usb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** usb4java's native library kept unpacked per user: reused, checked, replaced, and never taken from a folder others control. */
class NativeLibraryCacheTest {
  @TempDir Path tmp;

  private byte[] library(int seed) {
    byte[] b = new byte[100_000];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A jar holding {@code bytes} as org/usb4java/linux-x86-64/libusb4java.so; the entry's URL. */
  private URL jarWith(String name, byte[] bytes) throws IOException {
    Path jar = tmp.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("org/usb4java/linux-x86-64/libusb4java.so"));
      out.write(bytes);
      out.closeEntry();
    }
    return new URL("jar:" + jar.toUri() + "!/org/usb4java/linux-x86-64/libusb4java.so");
  }

  private Path privateDir() throws IOException {
    Path dir = tmp.resolve("cache").resolve("native");
    Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return dir;
  }

  private static long entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void unpacksOnceUnderAContentNameAndReusesTheCopy() throws Exception {
    byte[] lib = library(1);
    Path dir = privateDir();
    Path first = NativeLibraryCache.cached(dir, jarWith("a.jar", lib));
    assertNotNull(first);
    assertArrayEquals(lib, Files.readAllBytes(first));
    assertTrue(first.getFileName().toString().matches("libusb4java-[0-9a-f]{8}-100000\\.so"), first.toString());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    Object inode = Files.getAttribute(first, "unix:ino");
    Path again = NativeLibraryCache.cached(dir, jarWith("b.jar", lib));
    assertEquals(first, again);
    assertEquals(inode, Files.getAttribute(again, "unix:ino"), "an intact copy is not written again");
    assertEquals(1, entries(dir), "no temporary file left behind");
  }

  @Test
  void anotherLibraryGetsItsOwnName() throws Exception {
    Path dir = privateDir();
    Path a = NativeLibraryCache.cached(dir, jarWith("a.jar", library(1)));
    Path b = NativeLibraryCache.cached(dir, jarWith("b.jar", library(2)));
    assertNotEquals(a, b);
    assertArrayEquals(library(1), Files.readAllBytes(a));
    assertArrayEquals(library(2), Files.readAllBytes(b));
  }

  @Test
  void aDamagedCopyIsReplaced() throws Exception {
    byte[] lib = library(3);
    Path dir = privateDir();
    URL url = jarWith("a.jar", lib);
    Path copy = NativeLibraryCache.cached(dir, url);
    byte[] damaged = lib.clone();
    damaged[50_000] ^= 1;
    Files.write(copy, damaged);
    assertFalse(NativeLibraryCache.intact(copy, lib.length, crc(lib)));
    assertArrayEquals(lib, Files.readAllBytes(NativeLibraryCache.cached(dir, url)));
    Files.write(copy, new byte[] {1, 2, 3});
    assertArrayEquals(lib, Files.readAllBytes(NativeLibraryCache.cached(dir, url)));
  }

  @Test
  void aLinkInPlaceOfTheCopyIsReplacedNotFollowed() throws Exception {
    byte[] lib = library(4);
    Path dir = privateDir();
    URL url = jarWith("a.jar", lib);
    Path copy = NativeLibraryCache.cached(dir, url);
    Path elsewhere = tmp.resolve("elsewhere.so");
    Files.write(elsewhere, lib);
    Files.delete(copy);
    Files.createSymbolicLink(copy, elsewhere);
    assertEquals(copy, NativeLibraryCache.cached(dir, url));
    assertFalse(Files.isSymbolicLink(copy));
    assertTrue(Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void aFolderOthersCanWriteToIsNotUsed() throws Exception {
    Path shared = tmp.resolve("shared");
    Files.createDirectories(shared);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertNull(NativeLibraryCache.cached(shared.resolve("native"), jarWith("a.jar", library(5))), "the parent is world-writable");
    Path open = tmp.resolve("open");
    Files.createDirectories(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertNull(NativeLibraryCache.cached(open, jarWith("b.jar", library(5))), "the folder itself is world-writable");
    assertEquals(0, entries(open));
  }

  @Test
  void aLinkedFolderIsNotUsed() throws Exception {
    Path real = privateDir();
    Files.createDirectories(real);
    Path link = tmp.resolve("cache").resolve("link");
    Files.createSymbolicLink(link, real);
    assertNull(NativeLibraryCache.cached(link, jarWith("a.jar", library(6))));
    assertEquals(0, entries(real));
  }

  @Test
  void usb4javasOwnLibraryIsFoundForThisPlatform() {
    if (!System.getProperty("os.name").equals("Linux")) return;
    URL url = NativeLibraryCache.resource();
    assertNotNull(url, "usb4java's library for " + System.getProperty("os.arch"));
    assertEquals("jar", url.getProtocol());
  }

  private static long crc(byte[] b) {
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(b);
    return c.getValue();
  }

  @SuppressWarnings("unused")
  private static void write(Path p, byte[] b) throws IOException {
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write(b);
    }
  }
}
