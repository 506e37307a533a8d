package io.mtpbridge.host.repo;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One device's backup history on the PC: a folder holding one folder per set, named by the set
 * id, with the archive ({@code backup.tar}, readable with plain tar), its {@code manifest.json}
 * and the PC's {@code set.json}. A set being written lives in a hidden {@code .incomplete-*}
 * folder and is renamed to its id only once it is complete and verified, so a listing never sees
 * half a set; leftovers of a killed run are removed by the next backup.
 */
public final class BackupRepository {
  static final String INCOMPLETE = ".incomplete-";
  /** A set id that can be a folder name: the device's are UUIDs; never a path, a hidden name or long. */
  private static final Pattern PLAIN_SET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final String DELETING = ".deleting-";
  /** Held by the one process that writes the repository (a backup from begin to commit, a prune). */
  static final String LOCK = ".lock";

  private final Path folder;
  private final List<String> problems = new ArrayList<>();

  public BackupRepository(Path folder) {
    this.folder = folder;
  }

  /** {@code $XDG_DATA_HOME/mtpbridge/backups} (default {@code ~/.local/share/mtpbridge/backups}). */
  public static Path defaultRoot() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return data.resolve("mtpbridge").resolve("backups");
  }

  /** The folder for a device's serial under {@code root} (characters unfit for a file name become '_'). */
  public static Path deviceFolder(Path root, String serial) {
    String safe = serial == null ? "" : serial.strip().replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.isEmpty() || safe.startsWith(".")) safe = "serial-" + safe;
    return root.resolve(safe);
  }

  public Path folder() { return folder; }

  /** Folders that look like sets but could not be read, from the last {@link #sets} (what and why). */
  public List<String> problems() { return List.copyOf(problems); }

  /** The complete sets, oldest first (by creation time, then id). */
  public List<StoredSet> sets() throws IOException {
    problems.clear();
    List<StoredSet> out = new ArrayList<>();
    if (!Files.isDirectory(folder)) return out;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (name.startsWith(".")) continue;
        if (Files.isSymbolicLink(d)) {
          // what it points to is outside what this folder holds: never read, listed or pruned through it
          if (Files.isDirectory(d)) problems.add(name + ": a symbolic link, not a set folder (mtpbridge follows no links in a repository)");
          continue;
        }
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) continue;
        try {
          out.add(load(d));
        } catch (IOException | ArchiveException e) {
          problems.add(name + ": " + e.getMessage());
        }
      }
    }
    out.sort(Comparator.comparing(StoredSet::created).thenComparing(StoredSet::id));
    return out;
  }

  /**
   * A set as a listing holds it: its manifest read once as a stream into a summary (every stream's
   * record checked, then dropped), so many large sets never sit in memory together.
   */
  private static StoredSet load(Path d) throws IOException, ArchiveException {
    Manifest.Summary m = readManifest(d.resolve(Manifest.FILE_NAME), Manifest::summary);
    SetRecord r = SetRecord.read(new java.io.ByteArrayInputStream(readSmall(d.resolve(SetRecord.FILE_NAME), SetRecord.MAX_BYTES)));
    if (!m.setId().equals(d.getFileName().toString()) || !r.id().equals(m.setId())) {
      throw new IOException("folder name, manifest.json and set.json disagree about the set id");
    }
    Path archive = d.resolve(StoredSet.ARCHIVE);
    if (!Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) throw new NoSuchFileException(archive.toString());
      throw new IOException(StoredSet.ARCHIVE + " is not a regular file (a link, a FIFO or a device is never read)");
    }
    return new StoredSet(d, m, r);
  }

  /** The whole manifest of one listed set, for verifying or restoring it; it must still be the one listed. */
  static Manifest loadManifest(StoredSet s) throws IOException {
    Manifest m;
    try {
      m = readManifest(s.manifestFile(), Manifest::read);
    } catch (ArchiveException e) {
      throw new IOException("set " + s.id() + ": " + e.getMessage() + " (it was readable a moment ago: is another program writing in "
          + s.folder().getParent() + "?)");
    }
    if (!Manifest.Summary.of(m).equals(s.summary())) {
      throw new IOException("set " + s.id() + ": manifest.json changed while mtpbridge was reading the repository (is another program"
          + " writing in " + s.folder().getParent() + "?): run the command again");
    }
    return m;
  }

  private interface ManifestReader<T> {
    T read(java.io.Reader json) throws IOException, ArchiveException;
  }

  /**
   * Streams a set's manifest.json through {@code how}: only a regular file of at most
   * {@link Manifest#MAX_BYTES}, decoded as {@code new String(bytes, UTF_8)} would (a malformed byte
   * becomes U+FFFD), never read whole into memory.
   */
  private static <T> T readManifest(Path file, ManifestReader<T> how) throws IOException, ArchiveException {
    int max = Manifest.MAX_BYTES;
    requireRegular(file);
    if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size() > max) throw tooLarge(file, max);
    try (InputStream in = new AtMost(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), max, file);
         java.io.Reader json = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      return how.read(json);
    }
  }

  /**
   * A small file of a set, whole: only a regular file (a FIFO put there would block the open
   * forever, /dev/zero never end) of at most {@code max} bytes (a damaged or hand-made one of
   * gigabytes must not be read into memory).
   */
  private static byte[] readSmall(Path file, int max) throws IOException {
    requireRegular(file);
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) throw tooLarge(file, max);
      return b;
    }
  }

  private static void requireRegular(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw new NoSuchFileException(file.toString());
      throw new IOException(file.getFileName() + " is not a regular file");
    }
  }

  private static IOException tooLarge(Path file, int max) {
    return new IOException(file.getFileName() + " is larger than " + max + " bytes: not one mtpbridge wrote");
  }

  /** A file read up to {@code max} bytes: one that grows past it while read is too large, as one that was. */
  private static final class AtMost extends java.io.FilterInputStream {
    private final Path file;
    private long left;
    private final int max;

    AtMost(InputStream in, int max, Path file) {
      super(in);
      this.max = max;
      this.left = max;
      this.file = file;
    }

    @Override public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, (int) Math.min(len, left + 1));
      if (n > 0 && (left -= n) < 0) throw tooLarge(file, max);
      return n;
    }

    @Override public long skip(long n) throws IOException {
      return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 8192)])); // counted like any read
    }
  }

  public Optional<StoredSet> newest() throws IOException {
    List<StoredSet> all = sets();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The set with this id, or the only one whose id starts with it (at least 4 characters). */
  public StoredSet find(String idOrPrefix) throws IOException {
    List<StoredSet> all = sets();
    for (StoredSet s : all) if (s.id().equals(idOrPrefix)) return s;
    List<StoredSet> hits = new ArrayList<>();
    if (idOrPrefix.length() >= 4) for (StoredSet s : all) if (s.id().startsWith(idOrPrefix)) hits.add(s);
    if (hits.size() == 1) return hits.get(0);
    if (hits.size() > 1) throw new IOException("set id " + idOrPrefix + " is ambiguous: give more of it (see mtpbridge history)");
    throw new NoSuchFileException("no set " + idOrPrefix + " in " + folder + " (see mtpbridge history)");
  }

  /** The chain that restores {@code set}: its full base first, then each increment in order up to it. */
  public List<StoredSet> chain(StoredSet set) throws IOException {
    Map<String, StoredSet> byId = new LinkedHashMap<>();
    for (StoredSet s : sets()) byId.put(s.id(), s);
    return chain(set, byId);
  }

  /**
   * The chain that restores {@code set} among {@code listing} (what one {@link #sets} returned):
   * many chains from one listing, where {@link #chain(StoredSet)} reads the repository again.
   */
  public static List<StoredSet> chain(StoredSet set, List<StoredSet> listing) throws BrokenChainException {
    Map<String, StoredSet> byId = new LinkedHashMap<>();
    for (StoredSet s : listing) byId.put(s.id(), s);
    return chain(set, byId);
  }

  static List<StoredSet> chain(StoredSet set, Map<String, StoredSet> byId) throws BrokenChainException {
    List<StoredSet> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    StoredSet s = set;
    while (true) {
      if (!seen.add(s.id())) throw new BrokenChainException(set.id(), s.id() + " (a loop of parents)");
      chain.add(0, s);
      if (!s.incremental()) return chain;
      StoredSet parent = byId.get(s.parent());
      if (parent == null) throw new BrokenChainException(s.id(), s.parent());
      s = parent;
    }
  }

  /**
   * Removes all but the newest {@code keep} sets, except those a kept set's chain needs. Returns
   * the removed sets. Each goes by a rename to a hidden name first, so a crash never leaves a
   * half-deleted set that looks complete.
   */
  public List<StoredSet> prune(int keep) throws IOException {
    try (WriteLock lock = WriteLock.take(folder)) {
      return pruneLocked(keep);
    }
  }

  private List<StoredSet> pruneLocked(int keep) throws IOException {
    List<StoredSet> all = sets();
    if (!problems.isEmpty()) {
      // A set that cannot be read may be the link between a kept set and its base: without it the
      // base looked unneeded and was removed (a damaged set.json cost the whole chain).
      throw new IOException("not a readable set in " + folder + ": " + problems.get(0) + "; it may be one a kept set needs,"
          + " so nothing was removed: repair or remove that folder, then prune again");
    }
    Map<String, StoredSet> byId = new LinkedHashMap<>();
    for (StoredSet s : all) byId.put(s.id(), s);
    Set<String> needed = new HashSet<>();
    for (StoredSet s : all.subList(Math.max(0, all.size() - keep), all.size())) {
      StoredSet c = s;
      while (c != null && needed.add(c.id())) c = c.incremental() ? byId.get(c.parent()) : null;
    }
    List<StoredSet> removed = new ArrayList<>();
    for (StoredSet s : all) {
      if (needed.contains(s.id())) continue;
      Path hidden = folder.resolve(DELETING + s.id());
      Files.move(s.folder(), hidden, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(hidden);
      removed.add(s);
    }
    return removed;
  }

  /** Starts a new set in a hidden folder (and removes what killed runs left behind). */
  public IncompleteSet begin() throws IOException {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw notWritable(e);
    }
    WriteLock lock = WriteLock.take(folder);
    try {
      return beginLocked(lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private IncompleteSet beginLocked(WriteLock lock) throws IOException {
    try {
      // only a killed run leaves these: a live one would hold the lock
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder, p -> {
        String n = p.getFileName().toString();
        return n.startsWith(INCOMPLETE) || n.startsWith(DELETING);
      })) {
        for (Path stale : dirs) deleteTree(stale);
      }
      Path dir = folder.resolve(INCOMPLETE + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      Files.createDirectory(dir);
      return new IncompleteSet(dir, lock);
    } catch (IOException e) {
      throw notWritable(e);
    }
  }

  /**
   * A repository the backup cannot write in (read-only, not ours, a file in its path): said of the
   * repository folder, which the person chose or can find. The file system's own words named the
   * hidden .incomplete folder, which the person never saw and could do nothing about.
   */
  private IOException notWritable(IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileAlreadyExistsException ? "a file is in the way"
        : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getMessage();
    return new IOException("cannot write in the backup repository " + folder + " (" + why + "): no backup was started;"
        + " make that folder writable for you, or give another one with --repo DIR", e);
  }

  /** A set being written: its archive goes to {@link #archive()}; {@link #commit} makes it appear. */
  public final class IncompleteSet {
    private final Path dir;
    private final WriteLock lock;
    private boolean done;

    IncompleteSet(Path dir, WriteLock lock) {
      this.dir = dir;
      this.lock = lock;
    }

    public Path dir() { return dir; }

    public Path archive() { return dir.resolve(StoredSet.ARCHIVE); }

    /** Writes manifest.json and set.json, flushes everything to disk and renames the folder to the set id. */
    public StoredSet commit(Manifest manifest, SetRecord record) throws IOException {
      try {
        return commitLocked(manifest, record);
      } finally {
        if (done) lock.close();
        else discard(); // nothing of a set that cannot be committed stays, nor its hold on the repository
      }
    }

    private StoredSet commitLocked(Manifest manifest, SetRecord record) throws IOException {
      if (!PLAIN_SET_ID.matcher(manifest.setId()).matches()) {
        // the id comes from the device and names the set's folder: never a path
        throw new IOException("the device named its set \"" + manifest.setId() + "\", which is not a plain name;"
            + " nothing was kept (report this to the device's maker)");
      }
      Files.writeString(dir.resolve(Manifest.FILE_NAME), manifest.toJson(), StandardCharsets.UTF_8);
      try (OutputStream out = Files.newOutputStream(dir.resolve(SetRecord.FILE_NAME))) {
        record.write(out);
      }
      for (String f : List.of(StoredSet.ARCHIVE, Manifest.FILE_NAME, SetRecord.FILE_NAME)) force(dir.resolve(f));
      Path target = folder.resolve(manifest.setId());
      if (Files.exists(target)) throw new IOException("a set " + manifest.setId() + " is already in " + folder);
      try {
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename the new set into place in " + folder + ": " + e.getMessage());
      }
      force(folder);
      done = true;
      try {
        return load(target);
      } catch (ArchiveException e) {
        throw new IOException(e.getMessage());
      }
    }

    /** Removes everything of this set (failure, cancel). */
    public void discard() {
      if (done) return;
      done = true;
      try {
        deleteTree(dir);
      } catch (IOException ignored) {
        // the next backup removes it
      } finally {
        lock.close();
      }
    }
  }

  /**
   * The repository's lock: one writer at a time. Without it a second backup into the same folder
   * (another device given the same --repo) removed the first one's set in progress as a leftover,
   * and a prune could remove the set an increment was being made on. The operating system drops
   * the lock when a process dies, so a killed run never blocks the next.
   */
  private static final class WriteLock implements AutoCloseable {
    private final FileChannel channel;

    private WriteLock(FileChannel channel) {
      this.channel = channel;
    }

    static WriteLock take(Path folder) throws IOException {
      FileChannel ch;
      try {
        // no link followed: a .lock linked elsewhere would create or lock a file outside the repository
        ch = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException readOnly) {
        return new WriteLock(null); // a folder nothing can be written to: the write that follows says so
      }
      boolean locked = false;
      try {
        locked = ch.tryLock() != null;
      } catch (OverlappingFileLockException sameProcess) {
        // held by this JVM already
      } catch (IOException noLocks) {
        return new WriteLock(null); // a file system without locks (some network mounts): unguarded, as before the lock
      } finally {
        if (!locked) ch.close();
      }
      if (!locked) {
        throw new IOException("the backup repository " + folder + " is in use by another mtpbridge (a backup or prune"
            + " running now): wait until it ends, then try again");
      }
      return new WriteLock(ch);
    }

    @Override public void close() {
      if (channel == null) return;
      try {
        channel.close(); // releases the lock
      } catch (IOException ignored) {
        // closing drops the lock whatever it reports
      }
    }
  }

  private static void force(Path p) {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // folders cannot be opened for fsync on every system; the rename is still atomic
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) throw exc;
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
