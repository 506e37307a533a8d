package io.mtpbridge.core.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Makes the content of files durable (on stable storage, so a power cut cannot take it). The
 * file-system storage calls it once for each batch of received files, before any of them gets its
 * final name ({@link CommitPolicy}).
 */
@FunctionalInterface
public interface DataSync {

  /**
   * Returns once the content and size of every one of {@code files} are durable; throws when that
   * could not be ensured (the disk reported an error). A file that no longer exists (its folder
   * was deleted on the device meanwhile) is skipped: it cannot be named, and the others must not
   * be lost with it.
   */
  void sync(List<Path> files) throws IOException;

  /**
   * fsync of each file, one after the other: plain Java, but on a journalling file system each one
   * is a journal commit and a disk cache flush. mtpd uses syncfs(2) instead (one flush for the batch).
   */
  DataSync EACH_FILE = files -> {
    for (Path f : files) {
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
        c.force(true);
      } catch (NoSuchFileException gone) {
        // skipped (see above)
      }
    }
  };
}
