package io.mtpbridge.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * An object store the host can browse: the file-system storage, or a virtual one such as the
 * backup bridge's "Backup" storage whose folders and files are produced by work on the device.
 *
 * <p>Objects are addressed by {@link ObjectPath}, the storage-local identity; the responder turns
 * paths into session handles, enumerates lazily (a folder is listed only when the host asks for
 * it) and keeps handles stable across renames and moves it performs itself. A storage reports the
 * changes it makes on its own through the {@link StorageListener}.
 *
 * <p>Only {@link #details()}, {@link #stat}, {@link #list} and {@link #openRead} are required. Every
 * other capability defaults to {@link StorageError#NOT_SUPPORTED} (answered as
 * OperationNotSupported); a read-only storage answers writes with {@link StorageError#READ_ONLY}.
 * Methods may be called from the protocol thread and the event thread at once.
 */
public interface Storage extends Closeable {

  /** The storage's identity and free space (queried fresh on each GetStorageInfo). */
  StorageDetails details() throws IOException;

  /** True when every write must be refused with {@link StorageError#READ_ONLY}. */
  default boolean isReadOnly() { return false; }

  /** Metadata of the object at {@code path}; {@link StorageError#NOT_FOUND} if there is none. */
  ObjectMetadata stat(ObjectPath path) throws IOException;

  /**
   * The children of folder {@code folder}, lazily. The caller closes the stream. Objects the host
   * must not reach (e.g. symlinks leading out of a directory tree) are simply not listed.
   */
  Stream<ObjectMetadata> list(ObjectPath folder) throws IOException;

  /** Opens the object's content for reading from byte {@code offset}. */
  ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException;

  /**
   * Starts receiving a new file in {@code parent}. Must refuse up front, before any data is
   * accepted, what cannot fit ({@link StorageError#STORE_FULL}, {@link StorageError#OBJECT_TOO_LARGE})
   * or a name that already exists ({@link StorageError#ALREADY_EXISTS}).
   */
  default Upload beginUpload(ObjectPath parent, NewObject object) throws IOException {
    throw StorageException.notSupported("creating files");
  }

  /** Creates a folder in {@code parent} and returns its metadata. */
  default ObjectMetadata createFolder(ObjectPath parent, NewObject folder) throws IOException {
    throw StorageException.notSupported("creating folders");
  }

  /**
   * Deletes one object: a file, or a folder that is empty ({@link StorageError#NOT_EMPTY} if not).
   * The responder deletes trees bottom-up so it can report partial deletion precisely.
   */
  default void delete(ObjectPath path) throws IOException {
    throw StorageException.notSupported("deleting");
  }

  /** Renames in place; returns the new metadata. */
  default ObjectMetadata rename(ObjectPath path, String newName) throws IOException {
    throw StorageException.notSupported("renaming");
  }

  /**
   * Moves an object (a whole folder tree) to {@code newParent} within this storage. The responder
   * moves across storages by copying and deleting.
   */
  default ObjectMetadata move(ObjectPath path, ObjectPath newParent) throws IOException {
    throw StorageException.notSupported("moving");
  }

  /** Sets the modification time. */
  default ObjectMetadata setModified(ObjectPath path, Instant modified) throws IOException {
    throw StorageException.notSupported("setting the modification time");
  }

  /** Opens an existing file for in-place editing (Android partial writes and truncation). */
  default ObjectEditor openEditor(ObjectPath path) throws IOException {
    throw StorageException.notSupported("editing objects in place");
  }

  /**
   * Makes everything this storage answered as stored (committed uploads, folders, names) durable,
   * returning when it is: called when a session ends (before CloseSession is answered) and before
   * a cross-storage move deletes its source. A storage that is durable at each commit does nothing.
   */
  default void sync() throws IOException {}

  /**
   * Starts (non-null) or stops (null) reporting device-side changes. The responder sets a
   * listener only while a session is open.
   */
  default void setListener(StorageListener listener) {}

  /**
   * A hint that the host has enumerated {@code folder} and wants to hear about changes in it
   * (the file-system storage registers a directory watch). Called after {@link #setListener}.
   */
  default void watch(ObjectPath folder) {}

  /** Stops watching everything (session closed); listed folders are forgotten. */
  default void unwatchAll() {}

  @Override
  default void close() throws IOException {}
}
