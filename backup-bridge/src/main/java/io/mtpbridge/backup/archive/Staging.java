package io.mtpbridge.backup.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device's scratch space for streams that must be held before they can be used (an owner's
 * stream whose size the tar header needs, an archive being verified before restore), with a byte
 * limit so a host cannot fill the device's disk.
 */
public final class Staging {
  private final Path directory;
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  /**
   * Bytes all spools together may keep in memory. One spool keeps at most
   * {@link Spool#MEMORY_LIMIT}, but an archive of many small entries is spooled entry by entry
   * before it is verified, so the sum needs its own cap to stay within a small heap.
   */
  public static final long MEMORY_BUDGET = 8L << 20;
  private final AtomicLong memory = new AtomicLong();

  public Staging(Path directory, long limit) throws IOException {
    this.directory = Files.createDirectories(directory);
    this.limit = limit;
  }

  public Path directory() { return directory; }
  public long limit() { return limit; }
  public long used() { return used.get(); }
  public long free() { return Math.max(0, limit - used.get()); }

  /** Claims {@code bytes}; throws {@link StagingFullException} when the limit would be passed. */
  public void reserve(long bytes) throws StagingFullException {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) throw new StagingFullException(bytes, limit - now);
      if (used.compareAndSet(now, now + bytes)) return;
    }
  }

  public void release(long bytes) { used.addAndGet(-bytes); }

  /** Claims heap for a spool; false when the shared budget is spent (the spool goes to disk). */
  boolean claimMemory(long bytes) {
    while (true) {
      long now = memory.get();
      if (now + bytes > MEMORY_BUDGET) return false;
      if (memory.compareAndSet(now, now + bytes)) return true;
    }
  }

  void releaseMemory(long bytes) { memory.addAndGet(-bytes); }

  /** Heap currently held by spools (for tests). */
  public long memoryInUse() { return memory.get(); }

  public Path newFile(String prefix) throws IOException {
    return Files.createTempFile(directory, prefix, ".spool");
  }

  public Spool newSpool() { return new Spool(this); }

  /** Thrown when staging the data would pass the configured limit. */
  public static final class StagingFullException extends IOException {
    public StagingFullException(long wanted, long free) {
      super("staging space exhausted: " + wanted + " more bytes needed, " + Math.max(0, free) + " free");
    }
  }
}
