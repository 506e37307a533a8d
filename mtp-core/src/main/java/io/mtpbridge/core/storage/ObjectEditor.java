package io.mtpbridge.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * In-place editing of an existing object (Android's BeginEditObject ... EndEditObject):
 * positioned writes and truncation. Changes are made durable by {@link #commit()};
 * {@link #close()} without commit still leaves the writes made so far (as Android does), because
 * an editing host expects the object to reflect every acknowledged SendPartialObject.
 */
public interface ObjectEditor extends AutoCloseable {

  /** Writes all of {@code src} at {@code offset}, extending the object if needed. */
  void write(long offset, ByteBuffer src) throws IOException;

  /** Sets the object's size (shrinks or zero-extends). */
  void truncate(long size) throws IOException;

  /** Current size. */
  long size() throws IOException;

  /** Flushes and releases; returns the object's new metadata. */
  ObjectMetadata commit() throws IOException;

  @Override
  void close() throws IOException;
}
