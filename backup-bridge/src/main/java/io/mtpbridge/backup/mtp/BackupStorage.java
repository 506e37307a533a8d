package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.core.code.AccessCapability;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageDetails;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.StorageListener;
import io.mtpbridge.core.storage.Upload;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "Backup" storage, so any MTP tool can drive backups with folders and files:
 * <pre>
 * /Owners/&lt;id&gt;.txt      read-only: kind, status, volumes, expected size, last error
 * /Backups/&lt;name&gt;/      created by the host: a full backup runs into it (backup.tar, manifest.json,
 *                        status.txt); an owners.txt sent in within the grace period makes it partial
 * /Restore/              a backup.tar sent here is verified and restored; &lt;name&gt;.result.txt says how it went
 * </pre>
 * Staged files live under the engine's staging directory and count against its limit; deleting a
 * backup folder frees them. Work runs on one background thread; files appear (and status.txt
 * changes) with storage events.
 */
public final class BackupStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(BackupStorage.class);
  static final String OWNERS = "Owners", BACKUPS = "Backups", RESTORE = "Restore";
  static final String TAR = "backup.tar", MANIFEST = "manifest.json", STATUS = "status.txt", OWNERS_TXT = "owners.txt";
  private static final long MAX_OWNERS_TXT = 64 * 1024;

  private final BackupEngine engine;
  private final Staging staging;
  private final Path backupsDir;
  private final Path restoreDir;
  private final Duration grace;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "backup-storage");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Folder> folders = new LinkedHashMap<>();
  private final Map<String, byte[]> lastOwnerText = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile StorageListener listener;

  /** One /Backups/&lt;name&gt; folder and the backup that runs into it. */
  private final class Folder {
    final String name;
    final Path dir;
    volatile String state = "waiting";
    volatile String detail = "";
    volatile boolean ownersGiven;
    volatile boolean started;

    Folder(String name, Path dir) {
      this.name = name;
      this.dir = dir;
    }

    boolean busy() { return state.equals("waiting") || state.equals("running"); }
  }

  /**
   * {@code grace}: how long a new backup folder waits for an owners.txt before it starts a full
   * backup. Staged backups of an earlier run are removed at start (the device keeps no history).
   */
  public BackupStorage(BackupEngine engine, Duration grace) throws IOException {
    this.engine = engine;
    this.staging = engine.staging();
    this.grace = grace;
    this.backupsDir = staging.directory().resolve("backup-storage/backups");
    this.restoreDir = staging.directory().resolve("backup-storage/restore");
    deleteTree(staging.directory().resolve("backup-storage"));
    Files.createDirectories(backupsDir);
    Files.createDirectories(restoreDir);
  }

  @Override public StorageDetails details() {
    return new StorageDetails("Backup", "backup", StorageType.FIXED_RAM, true, AccessCapability.READ_WRITE, staging.limit(), staging.free());
  }

  // ---------------------------------------------------------------- reading

  @Override public ObjectMetadata stat(ObjectPath path) throws IOException {
    List<String> n = path.names();
    if (n.isEmpty()) return ObjectMetadata.folder("", null);
    if (n.size() == 1) {
      if (n.get(0).equals(OWNERS)) return protectedFolder(OWNERS);
      if (n.get(0).equals(BACKUPS) || n.get(0).equals(RESTORE)) return ObjectMetadata.folder(n.get(0), null);
    } else if (n.get(0).equals(OWNERS) && n.size() == 2) {
      byte[] text = ownerText(n.get(1));
      if (text != null) return readOnlyFile(n.get(1), text.length);
    } else if (n.get(0).equals(BACKUPS)) {
      Folder f = folder(n.get(1));
      if (f != null && n.size() == 2) return ObjectMetadata.folder(f.name, modified(f.dir));
      if (f != null && n.size() == 3 && visible(f, n.get(2))) return fileMeta(f.dir.resolve(n.get(2)));
    } else if (n.get(0).equals(RESTORE) && n.size() == 2 && visibleRestore(n.get(1)) && Files.isRegularFile(restoreDir.resolve(n.get(1)))) {
      return fileMeta(restoreDir.resolve(n.get(1)));
    }
    throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
  }

  @Override public Stream<ObjectMetadata> list(ObjectPath folder) throws IOException {
    List<String> n = folder.names();
    List<ObjectMetadata> out = new ArrayList<>();
    if (n.isEmpty()) {
      out.add(protectedFolder(OWNERS));
      out.add(ObjectMetadata.folder(BACKUPS, null));
      out.add(ObjectMetadata.folder(RESTORE, null));
    } else if (n.size() == 1 && n.get(0).equals(OWNERS)) {
      for (OwnerInfo o : engine.owners()) {
        byte[] text = ownerText(o.id() + ".txt");
        if (text != null) out.add(readOnlyFile(o.id() + ".txt", text.length));
      }
    } else if (n.size() == 1 && n.get(0).equals(BACKUPS)) {
      synchronized (folders) {
        for (Folder f : folders.values()) out.add(ObjectMetadata.folder(f.name, modified(f.dir)));
      }
    } else if (n.size() == 2 && n.get(0).equals(BACKUPS) && folder(n.get(1)) != null) {
      Folder f = folder(n.get(1));
      for (String name : List.of(OWNERS_TXT, STATUS, MANIFEST, TAR)) if (visible(f, name)) out.add(fileMeta(f.dir.resolve(name)));
    } else if (n.size() == 1 && n.get(0).equals(RESTORE)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(restoreDir)) {
        for (Path p : ds) {
          if (!visibleRestore(p.getFileName().toString())) continue;
          try {
            out.add(fileMeta(p));
          } catch (StorageException gone) {
            // removed while listing
          }
        }
      }
    } else {
      stat(folder);
      throw new StorageException(StorageError.INVALID_PARENT, folder + " is not a folder");
    }
    return out.stream();
  }

  @Override public ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException {
    List<String> n = path.names();
    if (n.size() == 2 && n.get(0).equals(OWNERS)) {
      // The text the host was last told the size of, so GetObject sends exactly that many bytes
      // even if the owner's status changed in between.
      byte[] text = lastOwnerText.get(n.get(1));
      if (text == null) text = ownerText(n.get(1));
      if (text == null) throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
      ByteArrayInputStream in = new ByteArrayInputStream(text);
      in.skip(offset);
      return Channels.newChannel(in);
    }
    stat(path);
    if (n.size() < 2 || stat(path).folder()) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    Path file = n.get(0).equals(BACKUPS) ? folder(n.get(1)).dir.resolve(n.get(2)) : restoreDir.resolve(n.get(1));
    SeekableByteChannel ch = Files.newByteChannel(file);
    ch.position(offset);
    return ch;
  }

  private static ObjectMetadata protectedFolder(String name) {
    return new ObjectMetadata(name, true, 0, null, null, true, false, 0, null);
  }

  private static ObjectMetadata readOnlyFile(String name, long size) {
    return new ObjectMetadata(name, false, size, null, Instant.now(), true, false, 0, null);
  }

  private static ObjectMetadata fileMeta(Path p) throws IOException {
    try {
      return ObjectMetadata.file(p.getFileName().toString(), Files.size(p), Files.getLastModifiedTime(p).toInstant());
    } catch (java.nio.file.NoSuchFileException gone) {
      throw new StorageException(StorageError.NOT_FOUND, p.getFileName() + " is gone");
    }
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  private Folder folder(String name) {
    synchronized (folders) {
      return folders.get(name);
    }
  }

  private static boolean visible(Folder f, String name) {
    if (!List.of(OWNERS_TXT, STATUS, MANIFEST, TAR).contains(name)) return false;
    return Files.isRegularFile(f.dir.resolve(name));
  }

  private static boolean visibleRestore(String name) {
    return !name.startsWith(".");
  }

  /** /Owners/&lt;id&gt;.txt, generated on each read so it is always current. */
  private byte[] ownerText(String fileName) {
    byte[] text = generateOwnerText(fileName);
    if (text != null) lastOwnerText.put(fileName, text);
    return text;
  }

  private byte[] generateOwnerText(String fileName) {
    if (!fileName.endsWith(".txt")) return null;
    String id = fileName.substring(0, fileName.length() - 4);
    for (OwnerInfo o : engine.owners()) {
      if (!o.id().equals(id)) continue;
      String text = "id: " + o.id() + "\n"
          + "kind: " + (o.active() ? "active" : "passive") + "\n"
          + "status: " + o.status().label() + "\n"
          + "volumes: " + String.join(", ", o.volumes()) + "\n"
          + "incremental: " + o.supportsIncremental() + "\n"
          + "restore requires reboot: " + o.requiresReboot() + "\n"
          + "expected size: " + o.expectedSize() + "\n"
          + "last error: " + (o.lastError() == null ? "none" : o.lastError()) + "\n";
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  // ---------------------------------------------------------------- writing

  @Override public ObjectMetadata createFolder(ObjectPath parent, NewObject folder) throws IOException {
    if (!parent.names().equals(List.of(BACKUPS))) {
      throw new StorageException(StorageError.ACCESS_DENIED, "folders can be created in /" + BACKUPS + " only (each one runs a backup)");
    }
    Folder f;
    synchronized (folders) {
      if (folders.containsKey(folder.name())) throw new StorageException(StorageError.ALREADY_EXISTS, folder.name() + " exists");
      f = new Folder(folder.name(), Files.createDirectory(backupsDir.resolve(folder.name())));
      folders.put(f.name, f);
    }
    writeStatus(f, false);
    worker.execute(() -> waitThenRun(f));
    return ObjectMetadata.folder(f.name, Instant.now());
  }

  @Override public Upload beginUpload(ObjectPath parent, NewObject object) throws IOException {
    List<String> n = parent.names();
    if (n.size() == 2 && n.get(0).equals(BACKUPS) && folder(n.get(1)) != null) {
      Folder f = folder(n.get(1));
      if (!object.name().equals(OWNERS_TXT)) throw new StorageException(StorageError.ACCESS_DENIED, "only " + OWNERS_TXT + " may be sent into a backup folder");
      synchronized (f) {
        if (f.started || f.ownersGiven) throw new StorageException(StorageError.BUSY, "the backup in " + f.name + " has already started; send owners.txt right after creating the folder");
        f.ownersGiven = true;
      }
      if (object.sizeKnown() && object.size() > MAX_OWNERS_TXT) throw new StorageException(StorageError.OBJECT_TOO_LARGE, "owners.txt is limited to " + MAX_OWNERS_TXT + " bytes");
      return new StagedUpload(staging, f.dir.resolve(OWNERS_TXT), MAX_OWNERS_TXT, p -> {
        added(ObjectPath.ROOT, BACKUPS, f.name, OWNERS_TXT);
        worker.execute(() -> runBackup(f));
      });
    }
    if (n.equals(List.of(RESTORE))) {
      if (object.name().endsWith(".result.txt")) throw new StorageException(StorageError.ACCESS_DENIED, "result files are written by the device");
      // Names with a leading '.' are the bridge's own part and temporary files in this folder.
      if (!visibleRestore(object.name())) throw new StorageException(StorageError.ACCESS_DENIED, "names starting with '.' are reserved by the device: rename the file");
      if (Files.exists(restoreDir.resolve(object.name()))) throw new StorageException(StorageError.ALREADY_EXISTS, object.name() + " exists");
      if (object.sizeKnown() && object.size() > staging.free()) {
        throw new StorageException(StorageError.STORE_FULL, object.size() + " bytes do not fit: " + staging.free() + " free in staging (delete old backups)");
      }
      return new StagedUpload(staging, restoreDir.resolve(object.name()), Long.MAX_VALUE, p -> worker.execute(() -> runRestore(p)));
    }
    throw new StorageException(StorageError.ACCESS_DENIED, "files can be sent to /" + RESTORE + " or as owners.txt into a new backup folder");
  }

  @Override public void delete(ObjectPath path) throws IOException {
    List<String> n = path.names();
    if (n.size() >= 2 && n.get(0).equals(BACKUPS)) {
      Folder f = folder(n.get(1));
      if (f == null) throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
      if (f.busy()) throw new StorageException(StorageError.BUSY, "the backup in " + f.name + " is still " + f.state);
      if (n.size() == 3) {
        if (!visible(f, n.get(2))) throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
        freeFile(f.dir.resolve(n.get(2)));
        return;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.dir)) {
        if (ds.iterator().hasNext()) throw new StorageException(StorageError.NOT_EMPTY, path + " is not empty");
      }
      Files.delete(f.dir);
      synchronized (folders) {
        folders.remove(f.name);
      }
      return;
    }
    if (n.size() == 2 && n.get(0).equals(RESTORE) && visibleRestore(n.get(1)) && Files.exists(restoreDir.resolve(n.get(1)))) {
      freeFile(restoreDir.resolve(n.get(1)));
      return;
    }
    if (n.size() <= 1 || n.get(0).equals(OWNERS)) throw new StorageException(StorageError.WRITE_PROTECTED, path + " cannot be deleted");
    throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
  }

  private void freeFile(Path p) throws IOException {
    long size = Files.size(p);
    Files.delete(p);
    // status.txt is small bookkeeping and never counted; everything else was reserved when written.
    if (!p.getFileName().toString().equals(STATUS)) staging.release(size);
    storageInfoChanged();
  }

  @Override public void setListener(StorageListener listener) { this.listener = listener; }

  /**
   * Stops the backup worker and waits (bounded) until a job in flight has wound down, so nothing
   * writes into the staging folder after close returns.
   */
  @Override public void close() {
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn("the backup worker did not stop within 15 s of close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- background work

  private void waitThenRun(Folder f) {
    long end = System.nanoTime() + grace.toNanos();
    try {
      while (System.nanoTime() < end && !f.ownersGiven) Thread.sleep(20);
    } catch (InterruptedException e) {
      return;
    }
    // With an owners.txt on its way, the upload's commit starts the backup.
    if (!f.ownersGiven) runBackup(f);
  }

  private void runBackup(Folder f) {
    synchronized (f) {
      if (f.started) return;
      f.started = true;
    }
    try {
      backupInto(f);
    } catch (Throwable t) {
      log.error("backup into {} failed", f.name, t);
      finish(f, "failed", t.toString());
    }
  }

  private void backupInto(Folder f) {
    List<String> owners = List.of();
    try {
      if (f.ownersGiven) owners = readOwners(f.dir.resolve(OWNERS_TXT));
    } catch (IOException e) {
      finish(f, "failed", "owners.txt unreadable: " + e.getMessage());
      return;
    }
    BackupSession session;
    try {
      session = engine.open(true, !owners.isEmpty(), false, owners, List.of());
    } catch (EngineException e) {
      finish(f, "failed", e.getMessage());
      return;
    }
    f.state = "running";
    writeStatus(f, true);
    Path part = f.dir.resolve("." + TAR + ".part");
    ReservingOutput out = null;
    try {
      out = new ReservingOutput(Files.newOutputStream(part), staging);
      Manifest m = session.readArchive(out);
      out.close();
      session.close(true);
      Files.move(part, f.dir.resolve(TAR), StandardCopyOption.ATOMIC_MOVE);
      byte[] json = m.toJson().getBytes(StandardCharsets.UTF_8);
      staging.reserve(json.length);
      Files.write(f.dir.resolve(MANIFEST), json);
      added(ObjectPath.ROOT, BACKUPS, f.name, TAR);
      added(ObjectPath.ROOT, BACKUPS, f.name, MANIFEST);
      StringBuilder d = new StringBuilder("set: " + m.setId() + "\n");
      for (Manifest.Owner o : m.owners()) d.append("owner ").append(o.id()).append(": ").append(o.status()).append(o.error() == null ? "" : " (" + o.error() + ")").append('\n');
      finish(f, "done", d.toString());
    } catch (IOException | EngineException | RuntimeException | Error e) {
      session.abort("backup into " + f.name + " failed: " + e.getMessage());
      try {
        if (out != null) out.close();
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // nothing more to free
      }
      if (out != null) staging.release(out.reserved);
      finish(f, "failed", e.getMessage());
    }
  }

  private static List<String> readOwners(Path p) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) ids.add(t);
    }
    return ids;
  }

  private void finish(Folder f, String state, String detail) {
    f.state = state;
    f.detail = detail == null ? "" : detail;
    writeStatus(f, true);
    log.info("backup folder {}: {} {}", f.name, state, f.detail.strip());
  }

  private void writeStatus(Folder f, boolean changed) {
    String text = "state: " + f.state + "\n" + (f.detail.isEmpty() ? "" : f.detail.endsWith("\n") ? f.detail : f.detail + "\n");
    try {
      Path tmp = f.dir.resolve("." + STATUS + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, f.dir.resolve(STATUS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("cannot write status of {}: {}", f.name, e.getMessage());
      return;
    }
    StorageListener l = listener;
    if (l == null) return;
    try {
      ObjectPath p = ObjectPath.of(BACKUPS, f.name, STATUS);
      if (changed) l.objectChanged(p);
      else l.objectAdded(p);
    } catch (StorageException ignored) {
      // names were validated when the folder was created
    }
  }

  /**
   * Restores one archive sent into /Restore. Whatever happens (a refused or hostile archive, an
   * owner failing, even an Error such as running out of heap), the session ends here, the engine
   * returns to normal and a .result.txt says why: a failure is this job's, never the worker's.
   */
  private void runRestore(Path archive) {
    String name = archive.getFileName().toString();
    String result;
    try {
      added(ObjectPath.ROOT, RESTORE, name);
      result = restoreOne(archive, name);
    } catch (Throwable t) {
      log.error("restore of {} failed", name, t);
      result = "failed: nothing was restored: " + t + "\n";
    }
    writeResult(archive, name, result);
  }

  private String restoreOne(Path archive, String name) {
    String result;
    try {
      BackupSession session = engine.open(false, false, false, List.of(), List.of());
      try (InputStream in = Files.newInputStream(archive)) {
        BackupSession.RestoreReport report = session.writeRestoreArchive(in);
        Map<String, String> outcomes = new LinkedHashMap<>(report.outcomes());
        // Completion (restoreComplete, checksum check) can still fail an owner.
        for (SessionStatus.Owner o : session.close(true).owners()) {
          if (o.status() != OwnerStatus.READY && "ok".equals(outcomes.get(o.id()))) outcomes.put(o.id(), "failed: " + o.error());
        }
        boolean allOk = outcomes.values().stream().allMatch("ok"::equals);
        StringBuilder sb = new StringBuilder(allOk ? "success\n" : "partial failure\n");
        sb.append("set: ").append(report.setId()).append('\n');
        for (Map.Entry<String, String> e : outcomes.entrySet()) sb.append("owner ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        result = sb.toString();
      } catch (EngineException | IOException | RuntimeException | Error e) {
        result = "failed: nothing was restored: " + e.getMessage() + "\n";
        if (e instanceof Error) result = "failed: nothing was restored: " + e + "\n";
      } finally {
        // Ends the session if it is still open (a no-op after close): never left in restore mode.
        session.abort("restore of " + name + " ended");
      }
    } catch (EngineException e) {
      result = "failed: nothing was restored: " + e.getMessage() + "\n";
    }
    return result;
  }

  private void writeResult(Path archive, String name, String result) {
    try {
      // The archive was only a vehicle: free its staging space once restored.
      if (Files.exists(archive)) {
        freeFile(archive);
        removed(RESTORE, name);
      }
      byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
      staging.reserve(bytes.length);
      Path res = restoreDir.resolve(name + ".result.txt");
      Path tmp = restoreDir.resolve("." + name + ".result.tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, res, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      added(ObjectPath.ROOT, RESTORE, res.getFileName().toString());
    } catch (IOException | RuntimeException e) {
      log.error("cannot write the result of restoring {}: {}", name, e.getMessage());
    }
  }

  private void added(ObjectPath base, String... names) {
    StorageListener l = listener;
    if (l == null) return;
    try {
      ObjectPath p = base;
      for (String n : names) p = p.child(n);
      l.objectAdded(p);
      l.storageInfoChanged();
    } catch (StorageException ignored) {
      // our own names are valid
    }
  }

  private void removed(String... names) {
    StorageListener l = listener;
    if (l == null) return;
    try {
      l.objectRemoved(ObjectPath.of(names));
    } catch (StorageException ignored) {
      // our own names are valid
    }
  }

  private void storageInfoChanged() {
    StorageListener l = listener;
    if (l != null) l.storageInfoChanged();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  /** Counts a staged backup.tar against the staging limit as it is written. */
  private static final class ReservingOutput extends FilterOutputStream {
    private final Staging staging;
    long reserved;

    ReservingOutput(OutputStream out, Staging staging) {
      super(out);
      this.staging = staging;
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
      staging.reserve(len);
      reserved += len;
      out.write(b, off, len);
    }

    @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
  }
}
