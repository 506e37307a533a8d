package io.mtpbridge.host.usb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  void aFolderAboveThatOthersCanWriteToIsNotUsed() throws Exception {
    // someone who may write to ~/.cache (not only to ~/.cache/mtpbridge) could swap the folders
    // below it between the check and the load
    Path open = tmp.resolve("open");
    Files.createDirectories(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dir = open.resolve("cache").resolve("mtpbridge").resolve("native");
    Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(dir.getParent().getParent(), PosixFilePermissions.fromString("rwx------"));
    assertNull(NativeLibraryCache.cached(dir, jarWith("a.jar", library(6))));
    // nothing made below it either
    assertFalse(Files.exists(dir));
  }

  @Test
  void aFolderOfSomeoneElseIsNotUsed() throws Exception {
    URL url = jarWith("a.jar", library(7));
    if (uid() == 0) {
      // root can make one: a folder of nobody's, and a private folder inside a folder of nobody's
      Path theirs = privateDir();
      Files.createDirectories(theirs);
      Files.setAttribute(theirs, "unix:uid", 65534);
      assertNull(NativeLibraryCache.cached(theirs, url));
      assertEquals(0, entries(theirs));
      Path home = tmp.resolve("home-of-nobody");
      Files.createDirectories(home.resolve("mine"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.setAttribute(home, "unix:uid", 65534);
      assertNull(NativeLibraryCache.cached(home.resolve("mine"), url), "a folder inside someone else's");
      assertNull(NativeLibraryCache.cached(home.resolve("new"), url), "a folder to make inside someone else's");
      assertFalse(Files.exists(home.resolve("new")), "nothing made in someone else's folder");
    } else {
      // anyone else: the root folder is root's
      assertNull(NativeLibraryCache.cached(Path.of("/"), url));
      assertNull(NativeLibraryCache.cached(Path.of("/proc/1"), url));
    }
  }

  @Test
  void aLinkedFolderIsUsedAtItsRealPathOnlyWhenThatIsPrivate() throws Exception {
    Path real = privateDir();
    Files.createDirectories(real);
    Path link = tmp.resolve("cache").resolve("link");
    Files.createSymbolicLink(link, real);
    Path lib = NativeLibraryCache.cached(link, jarWith("a.jar", library(8)));
    assertNotNull(lib);
    assertEquals(real.toRealPath(), lib.getParent(), "loaded by its real path, not through the link");
    Path open = tmp.resolve("open");
    Files.createDirectories(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path toOpen = tmp.resolve("cache").resolve("to-open");
    Files.createSymbolicLink(toOpen, open);
    assertNull(NativeLibraryCache.cached(toOpen, jarWith("b.jar", library(8))));
    assertEquals(0, entries(open));
  }

  @Test
  void aFolderThatCannotBeMadeGivesNoCacheAndNoError() throws Exception {
    // a read-only home, or a file where a folder should be (the same for root and anyone else)
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    assertNull(NativeLibraryCache.cached(file.resolve("cache").resolve("native"), jarWith("a.jar", library(9))));
    assertNull(NativeLibraryCache.cached(file, jarWith("b.jar", library(9))));
  }

  @Test
  void startsAtOnceAllGetTheOneIntactCopy() throws Exception {
    byte[] lib = library(10);
    Path dir = privateDir();
    URL url = jarWith("a.jar", lib);
    for (int round = 0; round < 2; round++) {
      if (round == 1) Files.write(NativeLibraryCache.cached(dir, url), new byte[] {1, 2, 3}); // then a damaged one
      int n = 8;
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Path>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          results.add(pool.submit(() -> {
            go.await();
            return NativeLibraryCache.cached(dir, url);
          }));
        }
        go.countDown();
        Path first = results.get(0).get(60, TimeUnit.SECONDS);
        assertNotNull(first);
        for (Future<Path> r : results) assertEquals(first, r.get(60, TimeUnit.SECONDS));
        assertArrayEquals(lib, Files.readAllBytes(first));
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, entries(dir), "one copy, no temporary file left behind");
    }
  }

  @Test
  void aLibraryTheSystemRefusesToLoadFallsBackWithoutAnError() throws Exception {
    // what a noexec home or a library for another C library looks like: System.load throws
    AtomicBoolean marked = new AtomicBoolean();
    byte[] notElf = "not a shared library\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertFalse(NativeLibraryCache.loadFrom(privateDir(), jarWith("a.jar", notElf), () -> marked.set(true)));
    assertFalse(marked.get(), "usb4java is not told the library is loaded");
    assertFalse(NativeLibraryCache.loadFrom(tmp.resolve("a-file-to-be"), new URL("file:/nonexistent/libusb4java.so"), () -> marked.set(true)));
    assertFalse(marked.get());
  }

  @Test
  void usb4javasLibraryLoadsFromTheCacheAndWorks() throws Exception {
    if (!System.getProperty("os.name").equals("Linux")) return;
    AtomicBoolean marked = new AtomicBoolean();
    Path dir = privateDir();
    assertTrue(NativeLibraryCache.loadFrom(dir, NativeLibraryCache.resource(), () -> marked.set(true)));
    assertTrue(marked.get());
    assertEquals(1, entries(dir));
    // a native call into the loaded library (no USB needed)
    assertNotNull(org.usb4java.LibUsb.getVersion());
    NativeLibraryCache.load(); // usb4java's flag is set or the library loaded: a second load is harmless
    assertNotNull(org.usb4java.LibUsb.getVersion());
  }

  @Test
  void theFoldersTriedAreTheUsersCacheThenAFolderOfTheUidInTheTempFolder() {
    assertEquals(List.of(Path.of("/x/cache/mtpbridge/native"), Path.of("/tmp/mtpbridge-1000/native")),
        NativeLibraryCache.folders("/x/cache", "/home/a", "/tmp", 1000));
    assertEquals(List.of(Path.of("/home/a/.cache/mtpbridge/native"), Path.of("/tmp/mtpbridge-1000/native")),
        NativeLibraryCache.folders(null, "/home/a", "/tmp", 1000));
    // a relative XDG_CACHE_HOME is ignored (XDG base directory rules)
    assertEquals(List.of(Path.of("/home/a/.cache/mtpbridge/native"), Path.of("/tmp/mtpbridge-0/native")),
        NativeLibraryCache.folders("cache", "/home/a", "/tmp", 0));
    // no home (a uid without a passwd entry: Java says "?"), or /
    assertEquals(List.of(Path.of("/tmp/mtpbridge-4321/native")), NativeLibraryCache.folders(null, "?", "/tmp", 4321));
    assertEquals(List.of(Path.of("/tmp/mtpbridge-4321/native")), NativeLibraryCache.folders("", "/", "/tmp", 4321));
    assertEquals(List.of(), NativeLibraryCache.folders(null, null, null, 1));
  }

  @Test
  void aTemporaryCopyLeftByACrashIsRemovedWhenTheLibraryIsWritten() throws Exception {
    Path dir = privateDir();
    Files.createDirectories(dir);
    Path old = Files.write(dir.resolve(".libusb4java-00000000-3.so.1234.part"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000L));
    Path fresh = Files.write(dir.resolve(".libusb4java-00000000-3.so.5678.part"), new byte[] {1, 2, 3});
    assertNotNull(NativeLibraryCache.cached(dir, jarWith("a.jar", library(12))));
    assertFalse(Files.exists(old), "a copy left hours ago by a crashed start");
    assertTrue(Files.exists(fresh), "maybe another start writing now");
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

  private static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }
}
