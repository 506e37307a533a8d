package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A file the host sends into the Backup storage, written to a hidden part file in staging and
 * counted against the staging limit as it arrives; renamed into place on commit, deleted on abort,
 * so an interrupted transfer leaves nothing.
 */
final class StagedUpload implements Upload {
  private final Staging staging;
  private final Path part;
  private final Path target;
  private final long maxBytes;
  private final Consumer<Path> onCommit;
  private final Runnable onAbort;
  private final FileChannel channel;
  private long written;
  private boolean committed;
  private boolean aborted;

  StagedUpload(Staging staging, Path target, long maxBytes, Consumer<Path> onCommit) throws IOException {
    this(staging, target, maxBytes, onCommit, () -> {});
  }

  /** {@code onAbort} runs when the transfer ends without a commit. */
  StagedUpload(Staging staging, Path target, long maxBytes, Consumer<Path> onCommit, Runnable onAbort) throws IOException {
    this.staging = staging;
    this.onAbort = onAbort;
    this.target = target;
    this.part = target.resolveSibling("." + target.getFileName() + ".part");
    this.maxBytes = maxBytes;
    this.onCommit = onCommit;
    this.channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
  }

  @Override public int write(ByteBuffer src) throws IOException {
    if (committed || aborted) throw new IOException("upload already ended");
    int n = src.remaining();
    if (written + n > maxBytes) throw new StorageException(StorageError.OBJECT_TOO_LARGE, "larger than " + maxBytes + " bytes");
    try {
      staging.reserve(n);
    } catch (Staging.StagingFullException full) {
      throw new StorageException(StorageError.STORE_FULL, full.getMessage());
    }
    written += n;
    while (src.hasRemaining()) channel.write(src);
    return n;
  }

  @Override public boolean isOpen() { return !committed && !aborted; }

  @Override public ObjectMetadata commit() throws IOException {
    if (aborted) throw new IOException("upload was aborted");
    channel.force(false);
    channel.close();
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    committed = true;
    onCommit.accept(target);
    return ObjectMetadata.file(target.getFileName().toString(), written, Instant.now());
  }

  @Override public void abort() {
    if (committed || aborted) return;
    aborted = true;
    try {
      channel.close();
      Files.deleteIfExists(part);
    } catch (IOException ignored) {
      // the staging directory is cleared at start
    }
    staging.release(written);
    onAbort.run();
  }
}
