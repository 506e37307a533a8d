package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * An edit of a file (Android's BeginEditObject ... EndEditObject) made on a working copy: the
 * first change copies the file (only what a truncation keeps) to a hidden, owner-only temporary
 * file beside it, writes and truncations go there, and {@link #commit} renames the working copy
 * over the file, with the file's owner, group and mode. So until EndEditObject the file keeps its
 * previous content, and a host that vanishes (killed, unplugged, a reset, mtpd itself killed)
 * leaves it as it was; the listing of the folder removes a working copy a killed mtpd left.
 *
 * <p>When the working copy cannot take the file's place without changing what others see of it
 * (mtpd may not give it the file's owner or group, or the file has other hard links), commit
 * copies the edited content into the file instead, as Android does: the previous content is
 * still kept until EndEditObject, only the commit itself is then not atomic.
 */
final class FileEditor implements ObjectEditor {
  private final FileSystemStorage storage;
  private final Path file;
  private final String name;
  private final FileChannel source;
  private Path workPath;
  private FileChannel work;
  private boolean closed;

  FileEditor(FileSystemStorage storage, Path file, String name) throws IOException {
    this.storage = storage;
    this.file = file;
    this.name = name;
    // Read-only on purpose: nothing is ever written into the file before commit.
    this.source = storage.openFileWithoutLinks(file);
  }

  /** The working copy, made on the first change with the first {@code keep} bytes of the file. */
  private FileChannel work(long keep) throws IOException {
    if (closed) throw new ClosedChannelException();
    if (work != null) return work;
    Path dir = file.getParent();
    FileSystemStorage.Temporary t;
    try {
      t = storage.newTemporary(dir, "edit-");
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "starting the edit of " + name, dir, 0);
    }
    Path p = t.path();
    try {
      FileChannel ch = t.channel();
      try {
        long copied = 0;
        while (copied < keep) {
          long n = source.transferTo(copied, keep - copied, ch);
          if (n <= 0) break; // the file shrank on the device meanwhile
          copied += n;
        }
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      workPath = p;
      work = ch;
      return ch;
    } catch (IOException e) {
      storage.forgetTemporary(p);
      Files.deleteIfExists(p);
      throw FileSystemStorage.translate(e, "copying " + name + " for the edit", dir, keep);
    }
  }

  @Override
  public void write(long offset, ByteBuffer src) throws IOException {
    FileChannel ch = work(source.size());
    long pos = offset;
    try {
      while (src.hasRemaining()) pos += ch.write(src, pos);
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "writing " + name, file, src.remaining());
    }
  }

  @Override
  public void truncate(long size) throws IOException {
    FileChannel ch = work(Math.min(size, source.size()));
    try {
      long now = ch.size();
      if (size < now) {
        ch.truncate(size);
      } else if (size > now) {
        ch.write(ByteBuffer.wrap(new byte[1]), size - 1); // zero-extends (sparse where possible)
      }
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "truncating " + name, file, 0);
    }
  }

  @Override
  public long size() throws IOException {
    if (closed) throw new ClosedChannelException();
    return work != null ? work.size() : source.size();
  }

  @Override
  public ReadableByteChannel openRead(long offset) throws IOException {
    if (closed) throw new ClosedChannelException();
    return new Reader(work != null ? work : source, offset);
  }

  @Override
  public ObjectMetadata commit(ObjectPath path) throws IOException {
    if (closed) throw new ClosedChannelException();
    try {
      Path target = storage.fileAt(path);
      Runnable race = storage.betweenCheckAndUse;
      if (race != null) race.run();
      if (work != null) {
        work.force(true);
        if (!replace(target)) copyInto(target);
      }
      return FileSystemStorage.metadataOf(path.name(), target);
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "storing the edit of " + name, file, 0);
    } finally {
      close();
    }
  }

  /**
   * Renames the working copy over {@code target} after giving it target's owner, group and mode;
   * false (nothing changed) when that cannot be done without others seeing a different file.
   */
  private boolean replace(Path target) throws IOException {
    PosixFileAttributes now = Files.readAttributes(target, PosixFileAttributes.class);
    Object links = Files.getAttribute(target, "unix:nlink");
    if (links instanceof Integer n && n > 1) return false; // the other names would keep the old content
    // The working copy's name is ours, but its folder may have been swapped for a link since the
    // check, into a folder where that name is a link to /etc/shadow, say: nothing here follows it.
    PosixFileAttributeView view = Files.getFileAttributeView(workPath, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    try {
      PosixFileAttributes mine = view.readAttributes();
      if (!mine.owner().equals(now.owner())) view.setOwner(now.owner());
      if (!mine.group().equals(now.group())) view.setGroup(now.group());
    } catch (IOException e) {
      return false; // not root: the file keeps its owner by being written in place
    }
    Files.setAttribute(workPath, "unix:mode", (Integer) Files.getAttribute(target, "unix:mode") & 07777, LinkOption.NOFOLLOW_LINKS);
    try {
      Files.move(workPath, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      return false;
    }
    storage.forgetTemporary(workPath);
    workPath = null;
    return true;
  }

  /** Copies the edited content into {@code target} itself (its inode, owner and links stay). */
  private void copyInto(Path target) throws IOException {
    // Never through a link: the file may have been swapped for one since it was checked (mtpd runs as root).
    try (FileChannel out = storage.openFileForWritingWithoutLinks(target)) {
      long size = work.size();
      long done = 0;
      while (done < size) {
        long n = work.transferTo(done, size - done, out.position(done));
        if (n <= 0) throw new StorageException(StorageError.IO_FAILURE, "copying the edit of " + name + " stopped at " + done);
        done += n;
      }
      out.truncate(size);
      out.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      source.close();
    } finally {
      if (work != null) work.close();
      if (workPath != null) {
        storage.forgetTemporary(workPath);
        Files.deleteIfExists(workPath);
        workPath = null;
      }
    }
  }

  /** Reads a channel from a position without moving or closing it (the edit keeps using it). */
  private static final class Reader implements ReadableByteChannel {
    private final FileChannel channel;
    private long position;
    private boolean open = true;

    Reader(FileChannel channel, long position) {
      this.channel = channel;
      this.position = position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!open) throw new ClosedChannelException();
      int n = channel.read(dst, position);
      if (n > 0) position += n;
      return n;
    }

    @Override public boolean isOpen() { return open; }

    @Override public void close() { open = false; }
  }
}
