package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.code.AccessCapability;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageDetails;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A directory tree served as an MTP storage.
 *
 * <p>Safety: every path the host names is built from validated names below the root and checked,
 * after resolving symlinks, to stay under the root's real path; symlinks leading out (or nowhere)
 * are neither listed nor followed. A read-only storage refuses every write with
 * {@link StorageError#READ_ONLY}.
 *
 * <p>Uploads go to a hidden temporary file in the target directory and are renamed to their name
 * only after the last byte (and an fsync), so a cancelled or interrupted transfer leaves nothing.
 * Space is checked before the first byte is accepted. Folders are listed only when asked; changes
 * made on the device are watched (inotify through {@link java.nio.file.WatchService}) only in the
 * folders the host has listed.
 */
public final class FileSystemStorage implements Storage {
  /**
   * Temporary files (uploads being received, working copies of edits, probes) start with this;
   * they are never listed nor reported, and the ones no upload or edit of this storage owns (left
   * by a killed mtpd) are removed when their folder is listed.
   */
  static final String TEMP_PREFIX = ".mtpbridge-";
  private static final java.util.regex.Pattern LEFTOVER =
      java.util.regex.Pattern.compile("\\.mtpbridge-(upload|edit|probe)-\\d+\\.(part|tmp)");

  private final String description;
  private final Path root;
  private final boolean readOnly;
  private final StorageType type;
  private final Ownership ownership;
  private final DirectoryWatcher watcher;
  /** The temporary files uploads and edits of this storage are using now. */
  private final java.util.Set<Path> temporaries = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param description the name hosts show for the storage
   * @param root an existing directory
   * @param readOnly refuse every write
   */
  public FileSystemStorage(String description, Path root, boolean readOnly) throws IOException {
    this(description, root, readOnly, StorageType.FIXED_RAM);
  }

  public FileSystemStorage(String description, Path root, boolean readOnly, StorageType type) throws IOException {
    this(description, root, readOnly, type, Ownership.DEFAULT);
  }

  /**
   * @param ownership owner, group and modes of the files and folders the host creates here
   */
  public FileSystemStorage(String description, Path root, boolean readOnly, StorageType type, Ownership ownership) throws IOException {
    this.description = Objects.requireNonNull(description);
    this.ownership = Objects.requireNonNull(ownership);
    if (!Files.isDirectory(root)) throw new NotDirectoryException(root + " is not a directory (storage \"" + description + "\")");
    this.root = root.toRealPath();
    this.readOnly = readOnly;
    this.type = Objects.requireNonNull(type);
    this.watcher = new DirectoryWatcher(this.root, TEMP_PREFIX);
  }

  public Path root() { return root; }

  /** Owner, group and modes of what the host creates here. */
  public Ownership ownership() { return ownership; }

  /**
   * Gives a probe file (hidden, removed at once) the configured owner and group, so that a storage
   * that cannot give them (mtpd not root) is refused at start rather than at the first upload.
   */
  public void checkOwnership() throws IOException {
    if (readOnly || (ownership.owner() == null && ownership.group() == null)) return;
    Path probe = Files.createTempFile(root, TEMP_PREFIX + "probe-", ".tmp");
    temporaries.add(probe);
    try {
      ownership.applyToFile(probe);
    } catch (IOException e) {
      throw translate(e, "giving new files " + ownership);
    } finally {
      Files.deleteIfExists(probe);
      temporaries.remove(probe);
    }
  }

  @Override public boolean isReadOnly() { return readOnly; }

  @Override
  public StorageDetails details() throws IOException {
    FileStore store = Files.getFileStore(root);
    AccessCapability access = readOnly ? AccessCapability.READ_ONLY_WITHOUT_OBJECT_DELETION : AccessCapability.READ_WRITE;
    String label = root.getFileName() == null ? description : root.getFileName().toString();
    return new StorageDetails(description, label, type, true, access, store.getTotalSpace(), readOnly ? 0 : store.getUsableSpace());
  }

  // ---- path safety ----

  /** The path for {@code p}, without following anything. */
  private Path pathOf(ObjectPath p) {
    Path out = root;
    for (String name : p.names()) out = out.resolve(name);
    return out;
  }

  /**
   * The path of an existing object, checked to resolve (through any symlinks) to a place under the
   * root. The returned path is the real one, so later use cannot be redirected by the link.
   */
  private Path existing(ObjectPath p) throws StorageException {
    Path path = pathOf(p);
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new StorageException(StorageError.NOT_FOUND, "no object " + p);
    } catch (IOException e) {
      // A folder replaced by a file on the device (ENOTDIR): what the host knew there is gone.
      if (!p.isRoot() && !Files.isDirectory(path.getParent())) throw new StorageException(StorageError.NOT_FOUND, "no object " + p);
      throw new StorageException(StorageError.ACCESS_DENIED, "cannot resolve " + p + ": " + e.getMessage(), e);
    }
    if (!real.startsWith(root)) throw new StorageException(StorageError.ACCESS_DENIED, p + " leads outside the storage");
    return real;
  }

  private Path existingFolder(ObjectPath p) throws StorageException {
    Path dir = existing(p);
    if (!Files.isDirectory(dir)) throw new StorageException(StorageError.INVALID_PARENT, p + " is not a folder");
    return dir;
  }

  private void refuseIfReadOnly() throws StorageException {
    if (readOnly) throw new StorageException(StorageError.READ_ONLY, "storage \"" + description + "\" is read-only");
  }

  // ---- reading ----

  @Override
  public ObjectMetadata stat(ObjectPath path) throws IOException {
    Path real = existing(path);
    if (path.isRoot()) return ObjectMetadata.folder("", Files.getLastModifiedTime(real).toInstant());
    return metadata(path.name(), real);
  }

  private static ObjectMetadata metadata(String name, Path p) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, PosixFileAttributes.class);
    } catch (UnsupportedOperationException e) {
      a = Files.readAttributes(p, BasicFileAttributes.class);
    }
    return metadata(name, p, a);
  }

  /** Metadata from attributes already read (one stat per object when listing). */
  private static ObjectMetadata metadata(String name, Path p, BasicFileAttributes a) {
    boolean protectedObject = a instanceof PosixFileAttributes pa
        ? !pa.permissions().contains(PosixFilePermission.OWNER_WRITE)
        : !Files.isWritable(p);
    boolean folder = a.isDirectory();
    Instant modified = a.lastModifiedTime().toInstant();
    Instant created = a.creationTime() == null ? modified : a.creationTime().toInstant();
    Object key = a.fileKey();
    return new ObjectMetadata(name, folder, folder ? 0 : a.size(), created, modified, protectedObject,
        name.startsWith("."), 0, key == null ? null : key.toString());
  }

  @Override
  public Stream<ObjectMetadata> list(ObjectPath folder) throws IOException {
    Path dir = existingFolder(folder);
    // Lazy: one entry (one lstat) at a time, nothing proportional to the folder held here.
    Stream<Path> entries = Files.list(dir);
    return entries.map(p -> entry(dir, p)).filter(Objects::nonNull).onClose(entries::close);
  }

  /** Metadata for a directory entry, or null for what the host must not see. */
  private ObjectMetadata entry(Path dir, Path p) {
    String name = p.getFileName().toString();
    if (name.startsWith(TEMP_PREFIX)) {
      removeLeftover(p, name);
      return null;
    }
    if (!ObjectNames.isValid(name)) return null;
    try {
      BasicFileAttributes link;
      try {
        link = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (UnsupportedOperationException e) {
        link = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      }
      if (link.isSymbolicLink()) {
        Path real;
        try {
          real = p.toRealPath();
        } catch (IOException e) {
          return null; // dangling
        }
        if (!real.startsWith(root)) return null; // leads out
        return metadata(name, real);
      }
      if (!link.isDirectory() && !link.isRegularFile()) return null; // devices, sockets, fifos
      return metadata(name, p, link);
    } catch (NoSuchFileException e) {
      return null; // deleted while listing
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A temporary file of ours that no upload or edit of this storage uses: what a killed mtpd left
   * behind (an interrupted upload, the working copy of an edit). Removed, so it leaves nothing.
   */
  private void removeLeftover(Path p, String name) {
    if (readOnly || !LEFTOVER.matcher(name).matches() || temporaries.contains(p)) return;
    try {
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // tried again at the next listing
    }
  }

  /** A new owner-only temporary file in {@code dir}, registered as in use until forgotten. */
  Path newTemporary(Path dir, String kind) throws IOException {
    Path p = Files.createTempFile(dir, TEMP_PREFIX + kind, ".part");
    temporaries.add(p);
    return p;
  }

  void forgetTemporary(Path p) { temporaries.remove(p); }

  /** The real path of the existing regular file at {@code path}. */
  Path fileAt(ObjectPath path) throws IOException {
    Path real = existing(path);
    if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    return real;
  }

  @Override
  public ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException {
    Path real = existing(path);
    if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    FileChannel ch = FileChannel.open(real, StandardOpenOption.READ);
    try {
      ch.position(offset);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch;
  }

  // ---- writing ----

  @Override
  public Upload beginUpload(ObjectPath parent, NewObject object) throws IOException {
    refuseIfReadOnly();
    Path dir = existingFolder(parent);
    Path target = dir.resolve(ObjectNames.validate(object.name()));
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new StorageException(StorageError.ALREADY_EXISTS, parent.child(object.name()) + " already exists");
    }
    if (object.sizeKnown()) {
      FileStore store = Files.getFileStore(dir);
      if (object.size() > store.getTotalSpace()) {
        throw new StorageException(StorageError.OBJECT_TOO_LARGE, object.size() + " bytes exceed the storage's capacity " + store.getTotalSpace());
      }
      if (object.size() > store.getUsableSpace()) {
        throw new StorageException(StorageError.STORE_FULL, object.size() + " bytes do not fit in " + store.getUsableSpace() + " free");
      }
    }
    return new FileUpload(this, dir, target, object, ownership);
  }

  @Override
  public ObjectMetadata createFolder(ObjectPath parent, NewObject folder) throws IOException {
    refuseIfReadOnly();
    Path dir = existingFolder(parent);
    Path target = dir.resolve(ObjectNames.validate(folder.name()));
    try {
      Files.createDirectory(target);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(StorageError.ALREADY_EXISTS, parent.child(folder.name()) + " already exists");
    } catch (IOException e) {
      throw translate(e, "creating " + parent.child(folder.name()));
    }
    try {
      ownership.applyToFolder(target);
      if (folder.modified() != null) Files.setLastModifiedTime(target, FileTime.from(folder.modified()));
    } catch (IOException e) {
      // A folder without the owner or mode asked for is not left behind.
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // reported through the original failure
      }
      throw translate(e, "giving " + parent.child(folder.name()) + " its owner and mode (" + ownership + ")");
    }
    return metadata(folder.name(), target);
  }

  @Override
  public void delete(ObjectPath path) throws IOException {
    refuseIfReadOnly();
    if (path.isRoot()) throw new StorageException(StorageError.ACCESS_DENIED, "the storage root cannot be deleted");
    existing(path);
    // Delete the entry itself: a symlink (inside the root) goes, never its target.
    try {
      Files.delete(pathOf(path));
    } catch (DirectoryNotEmptyException e) {
      throw new StorageException(StorageError.NOT_EMPTY, path + " is not empty");
    } catch (NoSuchFileException e) {
      throw new StorageException(StorageError.NOT_FOUND, "no object " + path);
    } catch (IOException e) {
      throw translate(e, "deleting " + path);
    }
  }

  @Override
  public ObjectMetadata rename(ObjectPath path, String newName) throws IOException {
    refuseIfReadOnly();
    if (path.isRoot()) throw new StorageException(StorageError.ACCESS_DENIED, "the storage root cannot be renamed");
    ObjectNames.validate(newName);
    existing(path);
    Path from = pathOf(path);
    Path to = from.resolveSibling(newName);
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) throw new StorageException(StorageError.ALREADY_EXISTS, newName + " already exists");
    try {
      Files.move(from, to);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(StorageError.ALREADY_EXISTS, newName + " already exists");
    } catch (IOException e) {
      throw translate(e, "renaming " + path);
    }
    return stat(path.parent().child(newName));
  }

  @Override
  public ObjectMetadata move(ObjectPath path, ObjectPath newParent) throws IOException {
    refuseIfReadOnly();
    if (path.isRoot()) throw new StorageException(StorageError.ACCESS_DENIED, "the storage root cannot be moved");
    existing(path);
    Path dir = existingFolder(newParent);
    if (newParent.startsWith(path)) throw new StorageException(StorageError.INVALID_PARENT, "cannot move a folder into itself");
    Path to = dir.resolve(path.name());
    try {
      Files.move(pathOf(path), to);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(StorageError.ALREADY_EXISTS, newParent.child(path.name()) + " already exists");
    } catch (IOException e) {
      throw translate(e, "moving " + path);
    }
    return stat(newParent.child(path.name()));
  }

  @Override
  public ObjectMetadata setModified(ObjectPath path, Instant modified) throws IOException {
    refuseIfReadOnly();
    Path real = existing(path);
    try {
      Files.setLastModifiedTime(real, FileTime.from(modified));
    } catch (IOException e) {
      throw translate(e, "setting the time of " + path);
    }
    return stat(path);
  }

  @Override
  public ObjectEditor openEditor(ObjectPath path) throws IOException {
    refuseIfReadOnly();
    Path real = existing(path);
    if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    try {
      return new FileEditor(this, real, path.name());
    } catch (IOException e) {
      throw translate(e, "opening " + path + " for editing");
    }
  }

  static StorageException translate(IOException e, String what) {
    if (e instanceof StorageException se) return se;
    if (e instanceof AccessDeniedException) return new StorageException(StorageError.ACCESS_DENIED, what + ": permission denied", e);
    if (String.valueOf(e.getMessage()).contains("Operation not permitted")) { // EPERM, e.g. chown to another user without root
      return new StorageException(StorageError.ACCESS_DENIED, what + ": operation not permitted", e);
    }
    if (e instanceof NoSuchFileException) return new StorageException(StorageError.NOT_FOUND, what + ": not found", e);
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left")) return new StorageException(StorageError.STORE_FULL, what + ": no space left", e);
    if (m.contains("Read-only file system")) return new StorageException(StorageError.READ_ONLY, what + ": read-only file system", e);
    return new StorageException(StorageError.IO_FAILURE, what + ": " + e, e);
  }

  // ---- events ----

  @Override public void setListener(StorageListener listener) { watcher.setListener(listener); }

  @Override public void watch(ObjectPath folder) { watcher.watch(folder, pathOf(folder)); }

  @Override public void unwatchAll() { watcher.unwatchAll(); }

  @Override public void close() { watcher.close(); }

  @Override public String toString() { return "\"" + description + "\" at " + root + (readOnly ? " (read-only)" : ""); }

  /** What ObjectMetadata the file at {@code p} has, for uploads and editors. */
  static ObjectMetadata metadataOf(String name, Path p) throws IOException { return metadata(name, p); }
}
