package io.mtpbridge.core.storage.fs;

import java.time.Duration;
import java.util.Objects;

/**
 * When the data of received files is made durable, and so when they get their final names.
 *
 * <p>A received file keeps its hidden temporary name until its data is durable, then takes its
 * final name and its folder is synced: a crash or power cut leaves either no file or the whole file
 * under its name, never a short or empty one. Files are synced in batches, not one by one: a batch
 * is synced (one {@link DataSync} call for all of its files, then one sync per folder for the new
 * names) at the latest {@link #window()} after its first file was committed, as soon as it holds
 * {@link #maxFiles()} files or {@link #maxBytes()} bytes (then in the commit that filled it, before
 * the host's answer), and before anything that could observe or depend on a waiting file: the end
 * of the session (CloseSession, a reset, the host going away), closing the storage, listing its
 * folder, reading it, and any rename, move, delete or edit. So a file the host was told is stored
 * is durable within the window, and a host that closes its session has everything durable before
 * the answer to CloseSession.
 *
 * @param window longest time a committed file waits for its data sync (zero: synced in its commit)
 * @param maxFiles a batch of this many files is synced at once
 * @param maxBytes a batch of this many bytes is synced at once (large files do not wait)
 * @param sync how the data is made durable
 */
public record CommitPolicy(Duration window, int maxFiles, long maxBytes, DataSync sync) {
  /**
   * Each file synced and named in its own commit, before the host's answer: a file is on the
   * device under its name as soon as SendObject is answered, at the cost of two journal commits
   * per file. The default of {@code new FileSystemStorage(...)}.
   */
  public static final CommitPolicy EACH_COMMIT = new CommitPolicy(Duration.ZERO, 1, 0, DataSync.EACH_FILE);
  /**
   * Batches: a quarter of a second, 1,024 files or 32 MiB, the files fsynced one by one (mtpd syncs
   * a batch with one syncfs instead: {@link #withSync}).
   */
  public static final CommitPolicy BATCHED = new CommitPolicy(Duration.ofMillis(250), 1024, 32L << 20, DataSync.EACH_FILE);

  public CommitPolicy {
    Objects.requireNonNull(window);
    Objects.requireNonNull(sync);
    if (window.isNegative()) throw new IllegalArgumentException("negative window " + window);
    if (maxFiles < 1) throw new IllegalArgumentException("maxFiles must be at least 1, not " + maxFiles);
    if (maxBytes < 0) throw new IllegalArgumentException("negative maxBytes " + maxBytes);
  }

  /** This policy with another way of making data durable. */
  public CommitPolicy withSync(DataSync other) { return new CommitPolicy(window, maxFiles, maxBytes, other); }

  /** True when every commit syncs at once. */
  boolean immediate() { return window.isZero() || maxFiles == 1; }
}
