package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.engine.BackupEngine;
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
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "Backup" storage, so any MTP tool can drive backups with folders and files:
 * <pre>
 * /Owners/&lt;id&gt;.txt      read-only: kind, status, volumes, expected size, last error   ({@link OwnerTexts})
 * /Backups/&lt;name&gt;/      created by the host: a backup runs into it                     ({@link BackupFolders})
 * /Restore/              a backup.tar sent here is verified and restored                ({@link RestoreInbox})
 * </pre>
 * This class only routes each request by path to the part that owns it. Staged files live under
 * the engine's staging directory and count against its limit; the work runs on one background
 * thread (so a backup and a restore never compete), and files appear with storage events.
 */
public final class BackupStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(BackupStorage.class);
  static final String OWNERS = "Owners", BACKUPS = "Backups", RESTORE = "Restore";
  /** How long a folder with a provisional name ("New folder") waits for its real name. */
  public static final Duration RENAME_WAIT = Duration.ofSeconds(60);

  private final Staging staging;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "backup-storage"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "backup-storage-timer"));
  private final StorageEvents events = new StorageEvents();
  private final OwnerTexts owners;
  private final BackupFolders backups;
  private final RestoreInbox restores;

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * {@code grace}: how long a new backup folder waits for an owners.txt before it starts. Staged
   * backups of an earlier run are removed at start (the device keeps no history).
   */
  public BackupStorage(BackupEngine engine, Duration grace) throws IOException {
    this(engine, grace, RENAME_WAIT);
  }

  /** {@code renameWait}: how long a folder named "New folder" (Windows) waits to be renamed. */
  public BackupStorage(BackupEngine engine, Duration grace, Duration renameWait) throws IOException {
    this.staging = engine.staging();
    Path base = staging.directory().resolve("backup-storage");
    deleteTree(base);
    Path backupsDir = Files.createDirectories(base.resolve("backups"));
    Path restoreDir = Files.createDirectories(base.resolve("restore"));
    this.owners = new OwnerTexts(engine);
    this.backups = new BackupFolders(engine, backupsDir, grace, renameWait, worker, timer, events);
    this.restores = new RestoreInbox(engine, restoreDir, worker, events);
  }

  @Override public StorageDetails details() {
    return new StorageDetails("Backup", "backup", StorageType.FIXED_RAM, true, AccessCapability.READ_WRITE, staging.limit(), staging.free());
  }

  // ---------------------------------------------------------------- reading

  @Override public ObjectMetadata stat(ObjectPath path) throws IOException {
    List<String> n = path.names();
    if (n.isEmpty()) return ObjectMetadata.folder("", null);
    String top = n.get(0);
    if (n.size() == 1 && top.equals(OWNERS)) return protectedFolder(OWNERS);
    if (n.size() == 1 && (top.equals(BACKUPS) || top.equals(RESTORE))) return ObjectMetadata.folder(top, null);
    if (top.equals(OWNERS) && n.size() == 2) {
      byte[] text = owners.current(n.get(1));
      if (text != null) return readOnlyFile(n.get(1), text.length);
    } else if (top.equals(BACKUPS) && n.size() <= 3) {
      BackupFolders.Folder f = backups.get(n.get(1));
      if (f != null && n.size() == 2) return BackupFolders.metadata(f);
      if (f != null && BackupFolders.visible(f, n.get(2))) return fileMeta(f.dir.resolve(n.get(2)));
    } else if (top.equals(RESTORE) && n.size() == 2 && RestoreInbox.visible(n.get(1)) && Files.isRegularFile(restores.dir.resolve(n.get(1)))) {
      return fileMeta(restores.dir.resolve(n.get(1)));
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
    } else if (n.equals(List.of(OWNERS))) {
      for (String name : owners.names()) {
        byte[] text = owners.current(name);
        if (text != null) out.add(readOnlyFile(name, text.length));
      }
    } else if (n.equals(List.of(BACKUPS))) {
      for (BackupFolders.Folder f : backups.all()) out.add(BackupFolders.metadata(f));
    } else if (n.size() == 2 && n.get(0).equals(BACKUPS) && backups.get(n.get(1)) != null) {
      BackupFolders.Folder f = backups.get(n.get(1));
      for (String name : BackupFolders.FILES) if (BackupFolders.visible(f, name)) out.add(fileMeta(f.dir.resolve(name)));
    } else if (n.equals(List.of(RESTORE))) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(restores.dir)) {
        for (Path p : ds) {
          if (!RestoreInbox.visible(p.getFileName().toString())) continue;
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
      byte[] text = owners.forReading(n.get(1));
      if (text == null) throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
      // seekable, so GetObject sends this text's own length even if the owner's state changed
      // since the host's stat
      SeekableInMemoryByteChannel in = new SeekableInMemoryByteChannel(text);
      in.position(Math.min(offset, text.length));
      return in;
    }
    if (stat(path).folder()) throw new StorageException(StorageError.NOT_FOUND, path + " is not a file");
    Path file = n.get(0).equals(BACKUPS) ? backups.get(n.get(1)).dir.resolve(n.get(2)) : restores.dir.resolve(n.get(1));
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

  // ---------------------------------------------------------------- writing

  @Override public ObjectMetadata createFolder(ObjectPath parent, NewObject folder) throws IOException {
    if (!parent.names().equals(List.of(BACKUPS))) {
      throw new StorageException(StorageError.ACCESS_DENIED, "folders can be created in /" + BACKUPS + " only (each one runs a backup)");
    }
    return backups.create(folder.name());
  }

  @Override public ObjectMetadata rename(ObjectPath path, String newName) throws IOException {
    List<String> n = path.names();
    if (n.size() == 2 && n.get(0).equals(BACKUPS)) return backups.rename(n.get(1), newName);
    throw new StorageException(StorageError.ACCESS_DENIED, "only the folders in /" + BACKUPS + " can be renamed");
  }

  @Override public Upload beginUpload(ObjectPath parent, NewObject object) throws IOException {
    List<String> n = parent.names();
    if (n.size() == 2 && n.get(0).equals(BACKUPS) && backups.get(n.get(1)) != null) return backups.beginOwners(backups.get(n.get(1)), object);
    if (n.equals(List.of(RESTORE))) return restores.begin(object);
    throw new StorageException(StorageError.ACCESS_DENIED, "files can be sent to /" + RESTORE + " or as owners.txt into a new backup folder");
  }

  @Override public void delete(ObjectPath path) throws IOException {
    List<String> n = path.names();
    if (n.size() >= 2 && n.size() <= 3 && n.get(0).equals(BACKUPS)) {
      BackupFolders.Folder f = backups.get(n.get(1));
      if (f == null) throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
      backups.delete(f, n.size() == 3 ? n.get(2) : null);
      return;
    }
    if (n.size() == 2 && n.get(0).equals(RESTORE) && RestoreInbox.visible(n.get(1)) && Files.exists(restores.dir.resolve(n.get(1)))) {
      restores.delete(n.get(1));
      return;
    }
    if (n.size() <= 1 || n.get(0).equals(OWNERS)) throw new StorageException(StorageError.WRITE_PROTECTED, path + " cannot be deleted");
    throw new StorageException(StorageError.NOT_FOUND, path + " does not exist");
  }

  @Override public void setListener(StorageListener listener) { events.set(listener); }

  /**
   * Stops the backup worker and waits (bounded) until a job in flight has wound down, so nothing
   * writes into the staging folder after close returns.
   */
  @Override public void close() {
    timer.shutdownNow();
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(15, TimeUnit.SECONDS)) log.warn("the backup worker did not stop within 15 s of close");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
