package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

/**
 * A file being received: bytes go to a hidden, owner-only temporary file next to the target,
 * which gets the storage's owner and mode and becomes the target (a rename, atomic within the
 * directory) only in {@link #commit()} once every announced byte arrived. Anything else deletes
 * the temporary file.
 */
final class FileUpload implements Upload {
  private final FileSystemStorage storage;
  private final Path target;
  private final NewObject object;
  private final Path temp;
  private final Ownership ownership;
  private final FileChannel channel;
  private long written;
  private boolean committed;
  private boolean aborted;

  FileUpload(FileSystemStorage storage, Path dir, Path target, NewObject object, Ownership ownership) throws IOException {
    this.storage = storage;
    this.target = target;
    this.object = object;
    this.ownership = ownership;
    try {
      this.temp = storage.newTemporary(dir, "upload-");
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "creating a temporary file in " + dir.getFileName());
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(temp, StandardOpenOption.WRITE);
    } catch (IOException e) {
      storage.forgetTemporary(temp);
      Files.deleteIfExists(temp);
      throw FileSystemStorage.translate(e, "opening " + temp.getFileName());
    }
    this.channel = ch;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (committed || aborted) throw new ClosedChannelException();
    int n = src.remaining();
    if (object.sizeKnown() && written + n > object.size()) {
      throw new StorageException(StorageError.INCOMPLETE, "received more than the announced " + object.size() + " bytes");
    }
    try {
      while (src.hasRemaining()) channel.write(src);
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "writing " + target.getFileName());
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
      channel.force(true);
      channel.close();
      // Private (0600) while the bytes arrived; the owner and mode apps expect once complete.
      ownership.applyToFile(temp);
      if (object.modified() != null) Files.setLastModifiedTime(temp, FileTime.from(object.modified()));
      try {
        Files.move(temp, target); // no REPLACE_EXISTING: never clobber a file that appeared meanwhile
      } catch (FileAlreadyExistsException e) {
        throw new StorageException(StorageError.ALREADY_EXISTS, target.getFileName() + " appeared during the upload");
      }
      committed = true;
      storage.forgetTemporary(temp);
      return FileSystemStorage.metadataOf(target.getFileName().toString(), target);
    } catch (IOException e) {
      abort();
      throw FileSystemStorage.translate(e, "storing " + target.getFileName());
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
