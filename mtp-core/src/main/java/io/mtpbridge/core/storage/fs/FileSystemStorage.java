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
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory tree served as an MTP storage.
 *
 * <p>Safety: every path the host names is built from validated names below the root; a symbolic
 * link is never a folder of the storage (see "Symbolic links" in mtp-core/README.md): a link to a
 * file inside the root is shown as that file, every other link (to a folder, leading out,
 * dangling, looping) is not shown, not followed, and deleting a folder removes such links with it,
 * never what they point to. A folder that is its own ancestor (a bind mount loop) is listed empty.
 * A read-only storage refuses every write with {@link StorageError#READ_ONLY}.
 *
 * <p>Uploads go to a hidden temporary file in the target directory and take their name only after
 * the last byte, once their data is durable, atomically and never over a file that appeared
 * meanwhile ({@link NoReplace}), so a cancelled or interrupted transfer or a power cut leaves
 * nothing, or the whole file. With a batching {@link CommitPolicy} (mtpd's) data is made durable
 * in batches: a received file waits (under its temporary name, though already stored as far as
 * the host knows) for at most the policy's window. Names and sizes the
 * file system cannot hold (NAME_MAX bytes; FAT/exFAT characters; 4 GiB on FAT) and a size beyond
 * the free space are refused before the first byte. Entries whose names the host cannot be given
 * as they are get escaped names ({@link OddNames}). Folders are listed only when asked; changes
 * made on the device are watched (inotify through {@link java.nio.file.WatchService}) only in the
 * folders the host has listed.
 */
public final class FileSystemStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(FileSystemStorage.class);
  /**
   * Temporary files (uploads being received, working copies of edits, probes) start with this;
   * they are never listed nor reported, and the ones no upload or edit of this storage owns (left
   * by a killed mtpd) are removed when their folder is listed.
   */
  static final String TEMP_PREFIX = ".mtpbridge-";
  private static final java.util.regex.Pattern LEFTOVER =
      java.util.regex.Pattern.compile("\\.mtpbridge-(upload|edit|probe)-\\d+\\.(part|tmp)");
  /** Less free space than this after a failed write means the write failed because the disk is full. */
  static final long FULL_MARGIN = 1024 * 1024;

  /** Free space and read-only state of the file system holding a path (a seam for tests). */
  interface SpaceProbe {
    long usableSpace(Path p) throws IOException;
    boolean readOnly(Path p) throws IOException;
  }

  static volatile SpaceProbe space = new SpaceProbe() {
    @Override public long usableSpace(Path p) throws IOException { return Files.getFileStore(p).getUsableSpace(); }
    @Override public boolean readOnly(Path p) throws IOException { return Files.getFileStore(p).isReadOnly(); }
  };

  private final String description;
  private final Path root;
  private final boolean readOnly;
  private final StorageType type;
  private final FileSystemKind kind;
  private final Ownership ownership;
  private final OddNames oddNames = new OddNames();
  private final DirectoryWatcher watcher;
  /** The temporary files uploads and edits of this storage are using now. */
  private final java.util.Set<Path> temporaries = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Received files waiting for their data sync and their names. */
  private final WaitingUploads waiting;

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
    this(description, root, readOnly, type, ownership, CommitPolicy.EACH_COMMIT);
  }

  /**
   * @param ownership owner, group and modes of the files and folders the host creates here
   * @param commits when received files are made durable and named (the other constructors: each in its commit)
   */
  public FileSystemStorage(String description, Path root, boolean readOnly, StorageType type, Ownership ownership,
                           CommitPolicy commits) throws IOException {
    this(description, root, readOnly, type, ownership, null, commits);
  }

  /** @param kind what the file system can hold, or null to detect it from the mount */
  FileSystemStorage(String description, Path root, boolean readOnly, StorageType type, FileSystemKind kind) throws IOException {
    this(description, root, readOnly, type, Ownership.DEFAULT, kind, CommitPolicy.EACH_COMMIT);
  }

  private FileSystemStorage(String description, Path root, boolean readOnly, StorageType type, Ownership ownership,
                            FileSystemKind kind, CommitPolicy commits) throws IOException {
    this.description = Objects.requireNonNull(description);
    this.ownership = Objects.requireNonNull(ownership);
    if (!Files.isDirectory(root)) throw new NotDirectoryException(root + " is not a directory (storage \"" + description + "\")");
    this.root = root.toRealPath();
    this.readOnly = readOnly;
    this.type = Objects.requireNonNull(type);
    this.kind = kind != null ? kind : FileSystemKind.of(Files.getFileStore(this.root).type());
    this.watcher = new DirectoryWatcher(this.root, TEMP_PREFIX);
    this.waiting = new WaitingUploads(this, Objects.requireNonNull(commits));
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

  /**
   * True when the file system under {@code p} is mounted read-only now (a read-only mount served
   * without {@code :ro}, or ext4 remounted read-only after an error): what the host creates is
   * refused up front and StorageInfo says read-only.
   */
  private static boolean mountReadOnly(Path p) {
    try {
      return space.readOnly(p);
    } catch (IOException | RuntimeException e) {
      return false; // unknown: a write then fails and is translated
    }
  }

  private void refuseIfMountReadOnly(Path dir) throws StorageException {
    if (mountReadOnly(dir)) throw new StorageException(StorageError.READ_ONLY, "the file system of storage \"" + description + "\" is mounted read-only");
  }

  @Override
  public StorageDetails details() throws IOException {
    FileStore store = Files.getFileStore(root);
    boolean readOnly = this.readOnly || mountReadOnly(root);
    AccessCapability access = readOnly ? AccessCapability.READ_ONLY_WITHOUT_OBJECT_DELETION : AccessCapability.READ_WRITE;
    String label = root.getFileName() == null ? description : root.getFileName().toString();
    return new StorageDetails(description, label, type, true, access, store.getTotalSpace(), readOnly ? 0 : store.getUsableSpace());
  }

  // ---- path safety ----

  /** The path for {@code p} (escaped names lead to their entries), without following anything. */
  private Path pathOf(ObjectPath p) {
    Path out = root;
    for (String name : p.names()) out = oddNames.resolve(out, name);
    return out;
  }

  /**
   * The path of an existing object: a file or folder with no symbolic link above it, or a link
   * to a file inside the root (then the file's real path, so later use cannot be redirected).
   */
  private Path existing(ObjectPath p) throws StorageException {
    if (p.isRoot()) return root;
    Path path = pathOf(p);
    Path parent = path.getParent();
    Path realParent;
    try {
      realParent = parent.toRealPath();
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new StorageException(StorageError.NOT_FOUND, "no object " + p);
    } catch (IOException e) {
      // ENOTDIR (a folder replaced by a file), ELOOP: what the host knew there is gone
      if (!Files.isDirectory(parent)) throw new StorageException(StorageError.NOT_FOUND, "no object " + p);
      throw new StorageException(StorageError.ACCESS_DENIED, "cannot resolve " + p + ": " + e.getMessage(), e);
    }
    if (!realParent.equals(parent)) {
      if (!realParent.startsWith(root)) throw new StorageException(StorageError.ACCESS_DENIED, p + " leads outside the storage");
      throw new StorageException(StorageError.NOT_FOUND, p + " lies below a symbolic link, which is not a folder of the storage");
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new StorageException(StorageError.NOT_FOUND, "no object " + p);
    }
    if (a.isSymbolicLink()) {
      Path real;
      try {
        real = path.toRealPath();
      } catch (IOException e) {
        throw new StorageException(StorageError.NOT_FOUND, p + " is a dangling or looping symbolic link");
      }
      if (!real.startsWith(root)) throw new StorageException(StorageError.ACCESS_DENIED, p + " leads outside the storage");
      if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, p + " is a link to a folder, which is not part of the storage");
      return real;
    }
    if (!a.isDirectory() && !a.isRegularFile()) throw new StorageException(StorageError.NOT_FOUND, p + " is not a file or folder");
    return path;
  }

  private Path existingFolder(ObjectPath p) throws StorageException {
    Path dir = existing(p);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new StorageException(StorageError.INVALID_PARENT, p + " is not a folder");
    return dir;
  }

  /** Refuses a new name in {@code dir}: invalid, not storable here, or taken (escaped names included). */
  private String checkNewName(Path dir, ObjectPath parent, String name) throws StorageException {
    ObjectNames.validate(name);
    kind.checkName(name);
    if (Files.exists(oddNames.resolve(dir, name), LinkOption.NOFOLLOW_LINKS) || waiting.holds(dir.resolve(name))) {
      throw new StorageException(StorageError.ALREADY_EXISTS, parent.child(name) + " already exists");
    }
    return name;
  }

  private void refuseIfReadOnly() throws StorageException {
    if (readOnly) throw new StorageException(StorageError.READ_ONLY, "storage \"" + description + "\" is read-only");
  }

  // ---- reading ----

  @Override
  public ObjectMetadata stat(ObjectPath path) throws IOException {
    if (!path.isRoot()) {
      Path temp = waiting.temporaryFor(pathOf(path));
      if (temp != null) {
        try {
          return metadata(path.name(), temp);
        } catch (NoSuchFileException e) {
          // named meanwhile: read below under its name
        }
      }
    }
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
    FileTime modifiedTime = a.lastModifiedTime();
    FileTime createdTime = a.creationTime();
    Instant modified = modifiedTime.toInstant();
    // Where the file system keeps no creation time the JDK gives the modification time: one Instant then.
    Instant created = createdTime == null || createdTime.equals(modifiedTime) ? modified : createdTime.toInstant();
    Object key = a.fileKey();
    return new ObjectMetadata(name, folder, folder ? 0 : a.size(), created, modified, protectedObject,
        name.startsWith("."), 0, key == null ? null : key.toString());
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
  }

  @Override
  public Stream<ObjectMetadata> list(ObjectPath folder) throws IOException {
    Path dir = existingFolder(folder);
    if (waiting.anyIn(dir)) waiting.flush(); // a listing shows them under their names
    if (isOwnAncestor(dir)) {
      log.warn("{}: the folder is one of its own parents (a bind mount loop?); listed as empty", dir);
      return Stream.empty();
    }
    // Lazy: one entry (one lstat) at a time, nothing proportional to the folder held here.
    Stream<Path> entries = Files.list(dir);
    return entries.map(p -> entry(dir, p)).filter(Objects::nonNull).onClose(entries::close);
  }

  /** True when {@code dir} is the same directory (device and inode) as one of its parents up to the root. */
  private boolean isOwnAncestor(Path dir) {
    if (dir.equals(root)) return false;
    try {
      Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
      if (key == null) return false;
      for (Path up = dir.getParent(); up != null && up.startsWith(root); up = up.getParent()) {
        if (key.equals(Files.readAttributes(up, BasicFileAttributes.class).fileKey())) return true;
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** Metadata for a directory entry, or null for what the host must not see. One bad entry never fails the listing. */
  private ObjectMetadata entry(Path dir, Path p) {
    String rawName = p.getFileName().toString();
    if (rawName.startsWith(TEMP_PREFIX)) {
      removeLeftover(p, rawName);
      return null;
    }
    try {
      BasicFileAttributes link = lstat(p);
      Path target = p;
      BasicFileAttributes a = link;
      if (link.isSymbolicLink()) {
        try {
          target = p.toRealPath();
        } catch (IOException e) {
          return null; // dangling or looping
        }
        if (!target.startsWith(root)) return null; // leads out
        a = Files.readAttributes(target, BasicFileAttributes.class);
        if (!a.isRegularFile()) return null; // a link to a folder is not a folder of the storage
        a = lstat(target);
      } else if (!link.isDirectory() && !link.isRegularFile()) {
        return null; // devices, sockets, fifos
      }
      String shown = oddNames.shownName(dir, p, rawName);
      return shown == null ? null : metadata(shown, target, a);
    } catch (NoSuchFileException e) {
      return null; // deleted while listing
    } catch (IOException | RuntimeException e) {
      log.warn("{}: not listed, it cannot be read ({})", p, e.toString());
      return null;
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

  /** A temporary file just created, and the channel open on it. */
  record Temporary(Path path, FileChannel channel) {}

  private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
      java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

  /**
   * A new owner-only (0600) temporary file in {@code dir} (a folder below the root, checked),
   * open for reading and writing, registered as in use until forgotten. It is created relative to
   * the folder reached from the root without following any link (openat, O_CREAT|O_EXCL|O_NOFOLLOW)
   * and written through that descriptor only: a folder swapped for a link since the check (to /etc,
   * say) cannot receive the host's data.
   */
  Temporary newTemporary(Path dir, String kind) throws IOException {
    Path rel = dir.equals(root) ? null : root.relativize(dir);
    java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    try (SecureDirectoryStream<Path> folder = folderWithoutLinks(rel)) {
      for (int attempt = 0; ; attempt++) {
        String name = TEMP_PREFIX + kind + (java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".part";
        Path p = dir.resolve(name);
        temporaries.add(p); // before it exists: a listing meanwhile must not take it for a leftover
        try {
          FileChannel ch = folder == null ? FileChannel.open(p, options, OWNER_ONLY)
              : (FileChannel) folder.newByteChannel(Path.of(name), options, OWNER_ONLY);
          return new Temporary(p, ch);
        } catch (FileAlreadyExistsException e) {
          temporaries.remove(p);
          if (attempt >= 100) throw e;
        } catch (IOException | RuntimeException e) {
          temporaries.remove(p);
          throw e;
        }
      }
    } catch (IOException e) {
      if (!(e instanceof AccessDeniedException) && rel != null && changedIntoALink(rel)) {
        throw new StorageException(StorageError.NOT_FOUND, rel + " was replaced by a symbolic link on the device; it is not followed", e);
      }
      throw e; // the caller tells a full or read-only file system from the free space and the mount
    }
  }

  /** Opens the regular file at {@code real} (checked, below the root) for reading without following any link. */
  FileChannel openFileWithoutLinks(Path real) throws IOException {
    return openWithoutLinks(null, real);
  }

  /** Opens the regular file at {@code real} (checked, below the root) for writing in place without following any link. */
  FileChannel openFileForWritingWithoutLinks(Path real) throws IOException {
    return openWithoutLinks(null, real, StandardOpenOption.WRITE);
  }

  void forgetTemporary(Path p) { temporaries.remove(p); }

  /** The real path of the existing regular file at {@code path}. */
  Path fileAt(ObjectPath path) throws IOException {
    Path real = existing(path);
    if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    return real;
  }

  /** For tests: runs between the check of a path and its use (where a device-side program could swap a link in). */
  volatile Runnable betweenCheckAndUse;

  @Override
  public ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException {
    if (!path.isRoot() && waiting.holds(pathOf(path))) waiting.flush();
    Path real = existing(path);
    if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    Runnable race = betweenCheckAndUse;
    if (race != null) race.run();
    FileChannel ch = openWithoutLinks(path, real);
    try {
      ch.position(offset);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch;
  }

  /**
   * Opens for reading the regular file at {@code real} (below the root, checked by
   * {@link #existing}), following no symbolic link on the way: each folder from the root down is
   * opened relative to its parent's descriptor with O_NOFOLLOW ({@link SecureDirectoryStream},
   * openat(2)), then the file itself. So a folder or the file that a program on the device
   * swapped for a link since the check (to /etc, say: mtpd runs as root) is refused, not read.
   */
  private FileChannel openWithoutLinks(ObjectPath path, Path real) throws IOException {
    return openWithoutLinks(path, real, StandardOpenOption.READ);
  }

  private FileChannel openWithoutLinks(ObjectPath path, Path real, StandardOpenOption mode) throws IOException {
    Path rel = root.relativize(real);
    try (SecureDirectoryStream<Path> dir = folderWithoutLinks(rel.getParent())) {
      if (dir == null) return FileChannel.open(real, mode, LinkOption.NOFOLLOW_LINKS);
      return (FileChannel) dir.newByteChannel(rel.getFileName(), java.util.Set.of(mode, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw refusedOnTheWay(e, rel, "reading " + (path != null ? path : real.getFileName()));
    }
  }

  /**
   * The folder at {@code rel} (below the root; null = the root) opened from the root down, each
   * name relative to its parent's descriptor with O_NOFOLLOW, so no symbolic link is followed on
   * the way whatever was swapped in since a check; null where the platform has no openat (then
   * callers use paths, not following at least the last name).
   */
  private SecureDirectoryStream<Path> folderWithoutLinks(Path rel) throws IOException {
    DirectoryStream<Path> top = Files.newDirectoryStream(root);
    if (!(top instanceof SecureDirectoryStream<Path> dir)) {
      top.close();
      return null;
    }
    try {
      for (int i = 0; rel != null && i < rel.getNameCount(); i++) {
        SecureDirectoryStream<Path> next = dir.newDirectoryStream(rel.getName(i), LinkOption.NOFOLLOW_LINKS);
        dir.close();
        dir = next;
      }
      return dir;
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  /** A failure to reach {@code rel} without links: NOT_FOUND when a name on the way became a link (or vanished). */
  private StorageException refusedOnTheWay(IOException e, Path rel, String what) {
    if (e instanceof StorageException se) return se;
    if (!(e instanceof AccessDeniedException) && changedIntoALink(rel)) {
      return new StorageException(StorageError.NOT_FOUND, what + ": a name on the way was replaced by a symbolic link on the device; it is not followed", e);
    }
    return translate(e, what);
  }

  /**
   * Renames {@code from} to {@code to} (both below the root, checked, the parent of {@code to} a
   * folder) with renameat(2) relative to their folders reached from the root without following any
   * link, so a folder swapped for a link since the check (to /etc, say) is not renamed through.
   * Never over an existing name (checked just before, as {@code Files.move} without
   * REPLACE_EXISTING does).
   */
  private void moveWithoutLinks(Path from, Path to) throws IOException {
    Path relFrom = root.relativize(from);
    Path relTo = root.relativize(to);
    try (SecureDirectoryStream<Path> source = folderWithoutLinks(relFrom.getParent());
         SecureDirectoryStream<Path> target = folderWithoutLinks(relTo.getParent())) {
      if (source == null || target == null) {
        Files.move(from, to);
        return;
      }
      try {
        target.getFileAttributeView(relTo.getFileName(), java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .readAttributes();
        throw new FileAlreadyExistsException(to.toString());
      } catch (NoSuchFileException free) {
        // the name is free
      }
      source.move(relFrom.getFileName(), target, relTo.getFileName());
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      if (e instanceof AccessDeniedException) throw e;
      Path changed = relFrom.getParent() != null && changedIntoALink(relFrom.getParent()) ? relFrom.getParent()
          : relTo.getParent() != null && changedIntoALink(relTo.getParent()) ? relTo.getParent() : null;
      if (changed != null) {
        throw new StorageException(StorageError.NOT_FOUND, changed + " was replaced by a symbolic link on the device; it is not followed", e);
      }
      throw e;
    }
  }

  /** True when a name on the way to {@code rel} (below the root), {@code rel} included, is now a link, not a folder, or gone. */
  private boolean changedIntoALink(Path rel) {
    Path p = root;
    for (int i = 0; i < rel.getNameCount(); i++) {
      p = p.resolve(rel.getName(i));
      if (Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return true;
      if (i < rel.getNameCount() - 1 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return true;
    }
    return false;
  }

  // ---- writing ----

  @Override
  public Upload beginUpload(ObjectPath parent, NewObject object) throws IOException {
    refuseIfReadOnly();
    Path dir = existingFolder(parent);
    String name = checkNewName(dir, parent, object.name());
    refuseIfMountReadOnly(dir);
    kind.checkSize(object.size());
    Path target = dir.resolve(name);
    if (object.sizeKnown()) {
      FileStore store = Files.getFileStore(dir);
      if (object.size() > store.getTotalSpace()) {
        throw new StorageException(StorageError.OBJECT_TOO_LARGE, object.size() + " bytes exceed the storage's capacity " + store.getTotalSpace());
      }
      if (object.size() > store.getUsableSpace()) {
        throw new StorageException(StorageError.STORE_FULL, object.size() + " bytes do not fit in " + store.getUsableSpace() + " free");
      }
    }
    Runnable race = betweenCheckAndUse;
    if (race != null) race.run();
    return new FileUpload(this, parent, dir, target, object, ownership, kind.maxFileSize());
  }

  @Override
  public ObjectMetadata createFolder(ObjectPath parent, NewObject folder) throws IOException {
    refuseIfReadOnly();
    Path dir = existingFolder(parent);
    String name = checkNewName(dir, parent, folder.name());
    refuseIfMountReadOnly(dir);
    Path target = dir.resolve(name);
    try {
      Files.createDirectory(target);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(StorageError.ALREADY_EXISTS, parent.child(name) + " already exists");
    } catch (IOException e) {
      throw translate(e, "creating " + parent.child(name), dir, 0);
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
      throw translate(e, "giving " + parent.child(name) + " its owner and mode (" + ownership + ")", dir, 0);
    }
    NoReplace.syncDirectory(dir);
    return metadata(name, target);
  }

  @Override
  public void delete(ObjectPath path) throws IOException {
    refuseIfReadOnly();
    waiting.flush(); // the object, or one below it, may still wait for its name
    if (path.isRoot()) throw new StorageException(StorageError.ACCESS_DENIED, "the storage root cannot be deleted");
    existing(path);
    Runnable race = betweenCheckAndUse;
    if (race != null) race.run();
    // Delete the entry itself: a symlink goes, never its target.
    Path entry = pathOf(path);
    Path rel = root.relativize(entry);
    try (SecureDirectoryStream<Path> parent = folderWithoutLinks(rel.getParent())) {
      if (parent == null) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) removeHiddenLinks(entry);
        Files.delete(entry);
      } else {
        deleteEntry(parent, rel.getFileName());
      }
    } catch (DirectoryNotEmptyException e) {
      throw new StorageException(StorageError.NOT_EMPTY, path + " is not empty");
    } catch (NoSuchFileException e) {
      throw new StorageException(StorageError.NOT_FOUND, "no object " + path);
    } catch (IOException e) {
      if (!(e instanceof AccessDeniedException) && rel.getParent() != null && changedIntoALink(rel.getParent())) {
        // A folder above was swapped for a link since the check: what the host named is gone from the storage.
        throw new StorageException(StorageError.NOT_FOUND, "deleting " + path + ": a folder on the way was replaced by a symbolic link; it is not followed", e);
      }
      throw translate(e, "deleting " + path, entry.getParent(), 0);
    }
  }

  /**
   * Deletes {@code name} from {@code parent} (unlinkat: the folders above are the ones checked, not
   * whatever a link swapped in since leads to). A folder goes with the links the host could not see.
   */
  private static void deleteEntry(SecureDirectoryStream<Path> parent, Path name) throws IOException {
    BasicFileAttributes a = parent.getFileAttributeView(name, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .readAttributes();
    if (!a.isDirectory()) {
      parent.deleteFile(name);
      return;
    }
    try (SecureDirectoryStream<Path> folder = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
      removeHiddenLinks(folder);
    }
    parent.deleteDirectory(name);
  }

  /** {@link #removeHiddenLinks(Path)} through an open folder. */
  private static void removeHiddenLinks(SecureDirectoryStream<Path> folder) throws IOException {
    java.util.List<Path> links = new java.util.ArrayList<>();
    for (Path p : folder) {
      Path name = p.getFileName();
      boolean link = folder.getFileAttributeView(name, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes().isSymbolicLink();
      if (!link) return; // something else is left: the folder stays, with all its links
      links.add(name);
      if (links.size() > 10_000) return; // not a folder of only hidden links worth holding in memory: deleting it fails as not empty
    }
    for (Path name : links) folder.deleteFile(name);
  }

  /**
   * A folder the host deletes goes with the links it could not see (links to folders, dangling
   * ones, ones leading out): only the links, never what they point to. Done only when nothing
   * else is left in it, so a folder that stays keeps all its links.
   */
  private static void removeHiddenLinks(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) if (!Files.isSymbolicLink(p)) return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) if (Files.isSymbolicLink(p)) Files.deleteIfExists(p);
    }
  }

  @Override
  public ObjectMetadata rename(ObjectPath path, String newName) throws IOException {
    refuseIfReadOnly();
    waiting.flush(); // the object, or one below it, may still wait for its name
    if (path.isRoot()) throw new StorageException(StorageError.ACCESS_DENIED, "the storage root cannot be renamed");
    existing(path);
    Path from = pathOf(path);
    checkNewName(from.getParent(), path.parent(), newName);
    Path to = from.resolveSibling(newName);
    Runnable race = betweenCheckAndUse;
    if (race != null) race.run();
    try {
      moveWithoutLinks(from, to);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(StorageError.ALREADY_EXISTS, newName + " already exists");
    } catch (IOException e) {
      throw translate(e, "renaming " + path, from.getParent(), 0);
    }
    NoReplace.syncDirectory(from.getParent());
    return stat(path.parent().child(newName));
  }

  @Override
  public ObjectMetadata move(ObjectPath path, ObjectPath newParent) throws IOException {
    refuseIfReadOnly();
    waiting.flush(); // the object, or one below it, may still wait for its name
    if (path.isRoot()) throw new StorageException(StorageError.ACCESS_DENIED, "the storage root cannot be moved");
    existing(path);
    Path dir = existingFolder(newParent);
    if (newParent.startsWith(path)) throw new StorageException(StorageError.INVALID_PARENT, "cannot move a folder into itself");
    Path from = pathOf(path);
    Path to = dir.resolve(from.getFileName()); // the name on disk moves as it is (an escaped name stays escaped)
    if (Files.exists(oddNames.resolve(dir, path.name()), LinkOption.NOFOLLOW_LINKS)) {
      throw new StorageException(StorageError.ALREADY_EXISTS, newParent.child(path.name()) + " already exists");
    }
    try {
      if (Files.isSymbolicLink(from) && !Files.readSymbolicLink(from).isAbsolute()) {
        // A relative link would point elsewhere from its new folder: make it point to the same file.
        Path target = from.toRealPath();
        Files.createSymbolicLink(to, dir.relativize(target));
        Files.delete(from);
      } else {
        moveWithoutLinks(from, to);
      }
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(StorageError.ALREADY_EXISTS, newParent.child(path.name()) + " already exists");
    } catch (IOException e) {
      throw translate(e, "moving " + path, dir, 0);
    }
    NoReplace.syncDirectory(dir);
    NoReplace.syncDirectory(from.getParent());
    return stat(newParent.child(path.name()));
  }

  @Override
  public ObjectMetadata setModified(ObjectPath path, Instant modified) throws IOException {
    refuseIfReadOnly();
    waiting.flush(); // the object, or one below it, may still wait for its name
    Path real = existing(path);
    try {
      Files.setLastModifiedTime(real, FileTime.from(modified));
    } catch (IOException e) {
      throw translate(e, "setting the time of " + path, real, 0);
    }
    return stat(path);
  }

  @Override
  public ObjectEditor openEditor(ObjectPath path) throws IOException {
    refuseIfReadOnly();
    waiting.flush(); // the object, or one below it, may still wait for its name
    Path real = existing(path);
    if (!Files.isRegularFile(real)) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    try {
      return new FileEditor(this, real, path.name());
    } catch (IOException e) {
      throw translate(e, "opening " + path + " for editing", real, 0);
    }
  }

  /**
   * A failure of the file system as a storage error. Decided from the exception's type, the free
   * space and the mount's read-only flag, never from the message (strerror text is translated by
   * the locale).
   *
   * @param near a path on the file system concerned (for its free space), or null
   * @param needed bytes the failed operation needed; the disk counts as full when less than that
   *     (or less than {@link #FULL_MARGIN}) is free
   */
  static StorageException translate(IOException e, String what) { return translate(e, what, null, 0); }

  static StorageException translate(IOException e, String what, Path near, long needed) {
    if (e instanceof StorageException se) return se;
    if (e instanceof AccessDeniedException) return new StorageException(StorageError.ACCESS_DENIED, what + ": permission denied", e);
    if (String.valueOf(e.getMessage()).contains("Operation not permitted")) { // EPERM, e.g. chown to another user without root
      return new StorageException(StorageError.ACCESS_DENIED, what + ": operation not permitted", e);
    }
    if (e instanceof NoSuchFileException) return new StorageException(StorageError.NOT_FOUND, what + ": not found", e);
    if (e instanceof FileAlreadyExistsException) return new StorageException(StorageError.ALREADY_EXISTS, what + ": already exists", e);
    if (near != null) {
      try {
        if (space.readOnly(near)) return new StorageException(StorageError.READ_ONLY, what + ": the file system is read-only", e);
        long free = space.usableSpace(near);
        if (free < Math.max(needed, FULL_MARGIN)) return new StorageException(StorageError.STORE_FULL, what + ": no space left (" + free + " bytes free)", e);
      } catch (IOException | RuntimeException probe) {
        e.addSuppressed(probe);
      }
    }
    return new StorageException(StorageError.IO_FAILURE, what + ": " + e, e);
  }

  // ---- events ----

  @Override public void setListener(StorageListener listener) { watcher.setListener(listener); }

  @Override public void watch(ObjectPath folder) { watcher.watch(folder, pathOf(folder)); }

  @Override public void unwatchAll() { watcher.unwatchAll(); }

  /** Makes every received file durable and gives it its name (the session ends, the device stops). */
  @Override public void sync() { waiting.flush(); }

  @Override
  public void close() {
    waiting.flush();
    watcher.close();
  }

  /** Hands a completely received file over to be made durable and named; null, or why it was not stored when that was done at once. */
  StorageError waitForDurability(WaitingUploads.Waiting file) { return waiting.add(file); }

  /** The listener of device-side changes, or null. */
  StorageListener listener() { return watcher.listener(); }

  /** For tests: received files not yet durable and named. */
  WaitingUploads waiting() { return waiting; }

  @Override public String toString() { return "\"" + description + "\" at " + root + (readOnly ? " (read-only)" : ""); }

  /** What ObjectMetadata the file at {@code p} has, for uploads and editors. */
  static ObjectMetadata metadataOf(String name, Path p) throws IOException { return metadata(name, p); }
}
