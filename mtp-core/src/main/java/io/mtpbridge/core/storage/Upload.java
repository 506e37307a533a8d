package io.mtpbridge.core.storage;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * An object being received. Bytes written are not visible as the object until {@link #commit()};
 * {@link #abort()} (or {@link #close()} without commit) discards everything, so a cancelled or
 * interrupted transfer leaves nothing behind.
 */
public interface Upload extends WritableByteChannel {

  /**
   * Stores the object under its final name and returns its metadata. The storage may make it
   * durable later, by {@link Storage#sync()} at the latest (the file-system storage: within its
   * {@link io.mtpbridge.core.storage.fs.CommitPolicy}'s window).
   */
  ObjectMetadata commit() throws IOException;

  /** Throws away what was received. Idempotent, never throws, and does nothing after a successful commit. */
  void abort();

  /** Aborts unless {@link #commit()} succeeded. */
  @Override
  default void close() { abort(); }
}
