package io.mtpbridge.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * In-place editing of an existing object (Android's BeginEditObject ... EndEditObject, the way
 * FUSE hosts such as go-mtpfs and gvfs write into a mounted device): positioned writes and
 * truncation, then {@link #commit}. The edit is all or nothing: until {@code commit} the object
 * keeps its previous content for everyone else, and {@link #close()} without commit (the host
 * vanished, the device was reset, mtpd was stopped) throws the edits away. While the edit is
 * open, {@link #openRead} shows the edited content, so a host reading back what it just wrote
 * (a file open for reading and writing) sees it.
 */
public interface ObjectEditor extends AutoCloseable {

  /** Writes all of {@code src} at {@code offset}, extending the object (with zeros) if needed. */
  void write(long offset, ByteBuffer src) throws IOException;

  /** Sets the object's size (shrinks, or extends with zeros). */
  void truncate(long size) throws IOException;

  /** The edited object's size. */
  long size() throws IOException;

  /** The edited content from {@code offset}; the caller closes the channel. */
  ReadableByteChannel openRead(long offset) throws IOException;

  /**
   * Makes the edits the object's content, durably and at once (never half of them), and ends the
   * edit. {@code path} is where the object is now: the host may have renamed or moved it (or a
   * folder above it) while it was open.
   *
   * @return the object's new metadata
   */
  ObjectMetadata commit(ObjectPath path) throws IOException;

  /** Ends the edit; uncommitted changes are thrown away. Idempotent. */
  @Override
  void close() throws IOException;
}
