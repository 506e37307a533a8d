package io.mtpbridge.core.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a finished temporary file under its final name without ever replacing a file that got that
 * name meanwhile, atomically: {@code Files.move} without REPLACE_EXISTING checks and then renames
 * (a file created in between is overwritten). Here the name is taken with link(2), which fails if
 * it exists, and the temporary name is then removed. File systems without hard links (FAT, exFAT)
 * take the name with an exclusive create (O_EXCL) of an empty placeholder that the rename then
 * replaces: only our own placeholder can be overwritten. The directory is fsynced afterwards so the
 * new name survives a power cut. (renameat2 with RENAME_NOREPLACE would do this in one call, but
 * needs native access that mtp-core does not have.)
 */
final class NoReplace {
  private static final Logger log = LoggerFactory.getLogger(NoReplace.class);

  /** For tests: runs just before the final name is taken. */
  static volatile Runnable beforePlace = () -> {};
  /** For tests: false acts as on a file system without hard links. */
  static volatile boolean hardLinks = true;

  private NoReplace() {}

  /**
   * Gives {@code temp} the name {@code target} (same directory), or throws
   * {@link FileAlreadyExistsException} leaving {@code temp} and whatever holds {@code target} alone.
   */
  static void place(Path temp, Path target) throws IOException {
    take(temp, target);
    syncDirectory(target.getParent());
  }

  /** {@link #place} without the directory sync (a batch syncs each folder once, after all its names). */
  static void take(Path temp, Path target) throws IOException {
    beforePlace.run();
    boolean linked = false;
    try {
      if (hardLinks) {
        Files.createLink(target, temp);
        linked = true;
      }
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // no hard links here (FAT/exFAT answer EPERM)
      linked = false;
    }
    if (linked) {
      Files.delete(temp);
    } else {
      Files.createFile(target); // O_CREAT|O_EXCL: the name is ours or this throws
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(target);
        throw e;
      }
    }
  }

  /** Makes the directory's entries durable (a new name survives a power cut). */
  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      log.debug("fsync of directory {} not possible: {}", dir, e.toString());
    }
  }
}
