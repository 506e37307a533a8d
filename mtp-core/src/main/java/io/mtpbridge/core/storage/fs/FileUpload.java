package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A file being received: bytes go to a hidden, owner-only temporary file next to the target.
 * {@link #commit()}, once every announced byte arrived, gives it the storage's owner and mode and
 * hands it to the storage's {@link WaitingUploads}: it takes the target's name (atomically, never
 * over another file: {@link NoReplace}) once its data is durable, with its batch
 * ({@link CommitPolicy}). Anything else deletes the temporary file.
 */
final class FileUpload implements Upload {
  private final FileSystemStorage storage;
  private final Path dir;
  private final ObjectPath folder;
  private final Path target;
  private final NewObject object;
  private final long maxFileSize;
  private final Path temp;
  private final Ownership ownership;
  private final FileChannel channel;
  private long written;
  private boolean committed;
  private boolean aborted;

  /** @param maxFileSize the largest file the file system holds (an upload of unknown size stops there) */
  FileUpload(FileSystemStorage storage, ObjectPath folder, Path dir, Path target, NewObject object, Ownership ownership, long maxFileSize) throws IOException {
    this.storage = storage;
    this.dir = dir;
    this.folder = folder;
    this.target = target;
    this.object = object;
    this.ownership = ownership;
    this.maxFileSize = maxFileSize;
    FileSystemStorage.Temporary t;
    try {
      // Created and written through the folder's descriptor, never by a path a link could redirect.
      t = storage.newTemporary(dir, "upload-");
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "creating a temporary file in " + dir.getFileName(), dir, 0);
    }
    this.temp = t.path();
    this.channel = t.channel();
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (committed || aborted) throw new ClosedChannelException();
    int n = src.remaining();
    if (object.sizeKnown() && written + n > object.size()) {
      throw new StorageException(StorageError.INCOMPLETE, "received more than the announced " + object.size() + " bytes");
    }
    if (written + n > maxFileSize) {
      throw new StorageException(StorageError.OBJECT_TOO_LARGE, "the file system holds files of at most " + maxFileSize + " bytes");
    }
    try {
      while (src.hasRemaining()) channel.write(src);
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "writing " + target.getFileName(), dir, n);
    }
    written += n;
    return n;
  }

  @Override public boolean isOpen() { return !committed && !aborted; }

  @Override
  public ObjectMetadata commit() throws IOException {
    if (committed) throw new IllegalStateException("already committed");
    if (aborted) throw new ClosedChannelException();
    try {
      if (object.sizeKnown() && written != object.size()) {
        throw new StorageException(StorageError.INCOMPLETE, "received " + written + " of the announced " + object.size() + " bytes");
      }
      channel.close();
      // Private (0600) while the bytes arrived; the owner and mode apps expect once complete.
      ownership.applyToFile(temp);
      if (object.modified() != null) {
        // Not through a link: the name is ours, but the folder may have been swapped meanwhile.
        Files.getFileAttributeView(temp, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setTimes(FileTime.from(object.modified()), null, null);
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new StorageException(StorageError.ALREADY_EXISTS, target.getFileName() + " appeared during the upload");
      }
      // The same inode takes the final name, so this is the object's metadata from now on.
      ObjectMetadata stored = FileSystemStorage.metadataOf(target.getFileName().toString(), temp);
      // The name is taken once the data is durable, with the batch this file joins (CommitPolicy).
      committed = true;
      StorageError refused = storage.waitForDurability(new WaitingUploads.Waiting(temp, target, folder, written));
      if (refused == StorageError.ALREADY_EXISTS) {
        throw new StorageException(refused, target.getFileName() + " appeared during the upload");
      }
      if (refused != null) throw new StorageException(refused, target.getFileName() + " could not be made durable (see the log)");
      return stored;
    } catch (IOException e) {
      abort();
      throw committed ? e : FileSystemStorage.translate(e, "storing " + target.getFileName(), dir, 0);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  @Override
  public void abort() {
    if (committed || aborted) return;
    aborted = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // the file is deleted next
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // the name is hidden from listings, and the next listing of the folder removes it
    } finally {
      storage.forgetTemporary(temp);
    }
  }

  long written() { return written; }
}
