package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /Backups: every folder the host creates there gets a full (or, with owners.txt, partial) backup
 * of its own: status.txt while it runs, then backup.tar and manifest.json.
 *
 * <p>When a backup starts: a folder created under its final name (gvfs, libmtp, mtp-tools) starts
 * after the grace period (time to send owners.txt). Windows Explorer creates "New folder" and
 * renames it once the user has typed a name; a folder with such a provisional name waits for that
 * rename (at most {@code renameWait}) and its grace period starts from the rename, so the backup
 * runs under the final name. A folder can be renamed at any time: its files live in a folder of
 * the staging directory named by a number, not by the name the host sees.
 */
final class BackupFolders {
  private static final Logger log = LoggerFactory.getLogger(BackupFolders.class);
  static final String TAR = "backup.tar", MANIFEST = "manifest.json", STATUS = "status.txt", OWNERS_TXT = "owners.txt";
  static final List<String> FILES = List.of(OWNERS_TXT, STATUS, MANIFEST, TAR);
  private static final long MAX_OWNERS_TXT = 64 * 1024;
  /**
   * The names file managers give a folder before the user has typed one: Windows Explorer's "New
   * folder" in the languages it ships most, with its " (2)" for a second one.
   */
  static final Pattern PROVISIONAL = Pattern.compile("(New folder|Neuer Ordner|Nouveau dossier|Nueva carpeta|Nuova cartella|Nova pasta"
      + "|Nieuwe map|Ny mapp|Ny mappe|Uusi kansio|Nowy folder|Nová složka|Новая папка|新建文件夹|新しいフォルダー)( \\(\\d+\\))?");

  /** Where a folder's backup stands, as status.txt names it. */
  enum State {
    WAITING, RUNNING, DONE, FAILED;

    String label() { return name().toLowerCase(Locale.ROOT); }

    boolean busy() { return this == WAITING || this == RUNNING; }
  }

  /** One /Backups/&lt;name&gt; folder and the backup that runs into it. */
  static final class Folder {
    final Path dir;
    final String key;
    volatile String name;
    volatile State state = State.WAITING;
    volatile String detail = "";
    // guarded by this
    boolean ownersGiven;
    boolean started;
    ScheduledFuture<?> start;

    Folder(String name, Path dir) {
      this.name = name;
      this.dir = dir;
      this.key = "backup-folder-" + dir.getFileName();
    }
  }

  private final BackupEngine engine;
  private final Staging staging;
  private final Path root;
  private final Duration grace;
  private final Duration renameWait;
  private final Executor worker;
  private final ScheduledExecutorService timer;
  private final StorageEvents events;
  private final Map<String, Folder> byName = new LinkedHashMap<>();
  private int nextDir;

  BackupFolders(BackupEngine engine, Path root, Duration grace, Duration renameWait, Executor worker,
      ScheduledExecutorService timer, StorageEvents events) {
    this.engine = engine;
    this.staging = engine.staging();
    this.root = root;
    this.grace = grace;
    this.renameWait = renameWait;
    this.worker = worker;
    this.timer = timer;
    this.events = events;
  }

  synchronized Folder get(String name) { return byName.get(name); }

  synchronized List<Folder> all() { return new ArrayList<>(byName.values()); }

  static ObjectMetadata metadata(Folder f) {
    Instant m = modified(f.dir);
    return new ObjectMetadata(f.name, true, 0, m, m, false, false, 0, f.key);
  }

  static boolean visible(Folder f, String file) { return FILES.contains(file) && Files.isRegularFile(f.dir.resolve(file)); }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- what the host does

  ObjectMetadata create(String name) throws IOException {
    Folder f;
    synchronized (this) {
      if (byName.containsKey(name)) throw new StorageException(StorageError.ALREADY_EXISTS, name + " exists");
      f = new Folder(name, Files.createDirectory(root.resolve(Integer.toString(++nextDir))));
      byName.put(name, f);
      boolean provisional = PROVISIONAL.matcher(name).matches();
      if (provisional) f.detail = "waiting for the folder's name: it starts when the folder is renamed, or in "
          + renameWait.toSeconds() + " s";
      schedule(f, provisional ? renameWait : grace);
    }
    writeStatus(f, false);
    return metadata(f);
  }

  /** Renames a backup folder (Windows names new folders "New folder" first); any time, any state. */
  ObjectMetadata rename(String from, String to) throws IOException {
    Folder f;
    boolean restartGrace;
    synchronized (this) {
      f = byName.get(from);
      if (f == null) throw new StorageException(StorageError.NOT_FOUND, from + " does not exist");
      if (byName.containsKey(to)) throw new StorageException(StorageError.ALREADY_EXISTS, to + " exists");
      byName.remove(from);
      f.name = to;
      byName.put(to, f);
      // A folder that waited for its name starts its grace period now, under the name it got.
      restartGrace = !f.started && !f.ownersGiven && PROVISIONAL.matcher(from).matches();
      if (restartGrace) {
        f.detail = "";
        schedule(f, grace);
      }
    }
    if (restartGrace) writeStatus(f, true);
    log.info("backup folder {} renamed to {}", from, to);
    return metadata(f);
  }

  private void schedule(Folder f, Duration delay) {
    if (f.start != null) f.start.cancel(false);
    f.start = timer.schedule(() -> worker.execute(() -> run(f)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  Upload beginOwners(Folder f, NewObject object) throws IOException {
    if (!object.name().equals(OWNERS_TXT)) throw new StorageException(StorageError.ACCESS_DENIED, "only " + OWNERS_TXT + " may be sent into a backup folder");
    synchronized (this) {
      if (f.started || f.ownersGiven) throw new StorageException(StorageError.BUSY, "the backup in " + f.name + " has already started; send owners.txt right after creating the folder");
      f.ownersGiven = true;
      // With an owners.txt on its way, the upload's commit starts the backup.
      if (f.start != null) f.start.cancel(false);
    }
    if (object.sizeKnown() && object.size() > MAX_OWNERS_TXT) throw new StorageException(StorageError.OBJECT_TOO_LARGE, "owners.txt is limited to " + MAX_OWNERS_TXT + " bytes");
    return new StagedUpload(staging, f.dir.resolve(OWNERS_TXT), MAX_OWNERS_TXT, p -> {
      events.added(BackupStorage.BACKUPS, f.name, OWNERS_TXT);
      worker.execute(() -> run(f));
    }, () -> {
      // An interrupted owners.txt: the folder goes back to a full backup after the grace period.
      synchronized (this) {
        f.ownersGiven = false;
        if (!f.started) schedule(f, grace);
      }
    });
  }

  void delete(Folder f, String file) throws IOException {
    // A folder whose backup has not started yet (made by mistake, or "New folder" never named)
    // may go: its backup is called off. One that runs must finish first.
    synchronized (this) {
      if (f.state == State.WAITING && !f.started) {
        f.started = true;
        if (f.start != null) f.start.cancel(false);
        f.state = State.FAILED;
        f.detail = "called off: the folder was deleted before its backup started";
      }
    }
    if (f.state.busy()) throw new StorageException(StorageError.BUSY, "the backup in " + f.name + " is still " + f.state.label());
    if (file != null) {
      if (!visible(f, file)) throw new StorageException(StorageError.NOT_FOUND, f.name + "/" + file + " does not exist");
      Path p = f.dir.resolve(file);
      long size = Files.size(p);
      Files.delete(p);
      // status.txt is small bookkeeping and never counted; everything else was reserved when written.
      if (!file.equals(STATUS)) staging.release(size);
      events.storageInfoChanged();
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(f.dir)) {
      if (ds.iterator().hasNext()) throw new StorageException(StorageError.NOT_EMPTY, f.name + " is not empty");
    }
    Files.delete(f.dir);
    synchronized (this) {
      byName.remove(f.name);
    }
  }

  // ---------------------------------------------------------------- the backup

  private void run(Folder f) {
    synchronized (this) {
      if (f.started) return;
      f.started = true;
    }
    try {
      backupInto(f);
    } catch (Throwable t) {
      log.error("backup into {} failed", f.name, t);
      finish(f, State.FAILED, t.toString());
    }
  }

  private void backupInto(Folder f) {
    List<String> owners = List.of();
    try {
      if (f.ownersGiven) owners = readOwners(f.dir.resolve(OWNERS_TXT));
    } catch (IOException e) {
      finish(f, State.FAILED, "owners.txt unreadable: " + e.getMessage());
      return;
    }
    BackupSession session;
    try {
      session = engine.open(true, !owners.isEmpty(), false, owners, List.of());
    } catch (EngineException e) {
      finish(f, State.FAILED, e.getMessage());
      return;
    }
    Path part = f.dir.resolve("." + TAR + ".part");
    ReservingOutput out = null;
    try {
      f.state = State.RUNNING;
      f.detail = "waiting for the owners to get ready";
      writeStatus(f, true);
      session.awaitReadiness(engine.config().readinessTimeout());
      f.detail = "";
      writeStatus(f, true);
      out = new ReservingOutput(Files.newOutputStream(part), staging);
      Manifest m = session.readArchive(out);
      out.close();
      session.close(true);
      Files.move(part, f.dir.resolve(TAR), StandardCopyOption.ATOMIC_MOVE);
      byte[] json = m.toJson().getBytes(StandardCharsets.UTF_8);
      staging.reserve(json.length);
      Files.write(f.dir.resolve(MANIFEST), json);
      events.added(BackupStorage.BACKUPS, f.name, TAR);
      events.added(BackupStorage.BACKUPS, f.name, MANIFEST);
      StringBuilder d = new StringBuilder("set: " + m.setId() + "\n");
      for (Manifest.Owner o : m.owners()) d.append("owner ").append(o.id()).append(": ").append(o.status()).append(o.error() == null ? "" : " (" + o.error() + ")").append('\n');
      finish(f, State.DONE, d.toString());
    } catch (IOException | EngineException | RuntimeException | Error e) {
      session.abort("backup into " + f.name + " failed: " + e.getMessage());
      try {
        if (out != null) out.close();
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // nothing more to free
      }
      if (out != null) staging.release(out.reserved);
      finish(f, State.FAILED, e.getMessage());
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

  private void finish(Folder f, State state, String detail) {
    f.state = state;
    f.detail = detail == null ? "" : detail;
    writeStatus(f, true);
    log.info("backup folder {}: {} {}", f.name, state.label(), f.detail.strip());
  }

  private void writeStatus(Folder f, boolean changed) {
    String detail = f.detail;
    String text = "state: " + f.state.label() + "\n" + (detail.isEmpty() ? "" : detail.endsWith("\n") ? detail : detail + "\n");
    try {
      Path tmp = f.dir.resolve("." + STATUS + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, f.dir.resolve(STATUS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("cannot write status of {}: {}", f.name, e.getMessage());
      return;
    }
    if (changed) events.changed(BackupStorage.BACKUPS, f.name, STATUS);
    else events.added(BackupStorage.BACKUPS, f.name, STATUS);
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
