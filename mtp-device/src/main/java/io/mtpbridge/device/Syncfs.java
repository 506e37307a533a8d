package io.mtpbridge.device;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.mtpbridge.core.storage.fs.DataSync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a batch of received files durable with one syncfs(2) per file system instead of an fsync
 * per file: on ext4 every fsync is a journal commit and a disk cache flush, so a host copying a
 * thousand small files waited for a thousand of them. syncfs writes back everything dirty on that
 * file system (other programs' data too, which only makes it take longer) and reports writeback
 * errors (Linux 5.8 and later). The JDK has no syncfs, hence JNA (which mtpd already loads for
 * FunctionFS); mtp-core itself stays free of native code and falls back to fsync per file.
 */
final class Syncfs implements DataSync {
  private static final Logger log = LoggerFactory.getLogger(Syncfs.class);

  interface C extends Library {
    int open(byte[] path, int flags) throws LastErrorException;

    int syncfs(int fd) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final int O_RDONLY = 0;

  private final C c;

  private Syncfs(C c) { this.c = c; }

  /**
   * syncfs through libc (or an fsync per file where libc cannot be loaded), bound at the first
   * batch rather than at start: loading JNA is a good part of a JVM's work on a small board, and
   * none of it needs to come before the gadget can bind (FunctionFS loads JNA right after that,
   * and nothing is synced before a host has sent a file).
   */
  static DataSync atFirstSync() {
    return files -> Bound.SYNC.sync(files);
  }

  /** Holds the binding, made when the first batch is synced (class initialisation is thread-safe). */
  private static final class Bound {
    static final DataSync SYNC = orEachFile();
  }

  /** syncfs through libc, or an fsync per file where libc cannot be loaded. */
  static DataSync orEachFile() {
    try {
      return new Syncfs(Native.load("c", C.class));
    } catch (LinkageError | RuntimeException e) {
      log.warn("syncfs(2) not available ({}); received files are synced one by one", e.toString());
      return DataSync.EACH_FILE;
    }
  }

  @Override
  public void sync(List<Path> files) throws IOException {
    // one folder per file system the batch touches (a storage may have another mounted inside it)
    Map<Object, Path> byDevice = new LinkedHashMap<>();
    for (Path f : files) {
      Path dir = f.getParent();
      try {
        byDevice.putIfAbsent(Files.getAttribute(dir, "unix:dev"), dir);
      } catch (NoSuchFileException gone) {
        // its folder was deleted on the device: the file cannot be named, the others are synced
      }
    }
    for (Path dir : byDevice.values()) syncFileSystemOf(dir);
  }

  private void syncFileSystemOf(Path dir) throws IOException {
    byte[] name = (dir.toString() + "\0").getBytes(StandardCharsets.UTF_8);
    int fd;
    try {
      fd = c.open(name, O_RDONLY);
    } catch (LastErrorException e) {
      throw new IOException("opening " + dir + " to sync its file system: errno " + e.getErrorCode());
    }
    try {
      c.syncfs(fd);
    } catch (LastErrorException e) {
      throw new IOException("syncfs of the file system holding " + dir + " failed: errno " + e.getErrorCode());
    } finally {
      try {
        c.close(fd);
      } catch (LastErrorException ignored) {
        // the descriptor is gone either way
      }
    }
  }
}
