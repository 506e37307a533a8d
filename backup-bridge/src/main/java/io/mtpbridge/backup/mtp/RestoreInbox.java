package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.engine.EngineException;
import io.mtpbridge.backup.engine.OwnerOutcome;
import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /Restore: an archive sent here is verified and restored as one session of its own, under the
 * same rule as the vendor extension: nothing is applied before the session commits, an owner
 * whose files cannot all be put in place is rolled back, and {@code <name>.result.txt} says what
 * really happened to each owner. The archive itself is removed afterwards (its space freed).
 */
final class RestoreInbox {
  private static final Logger log = LoggerFactory.getLogger(RestoreInbox.class);
  static final String RESULT_SUFFIX = ".result.txt";
  /** Longest archive name whose result file still has a name MTP and the file system can hold. */
  static final int MAX_NAME_CHARS = PtpString.MAX_CHARS - RESULT_SUFFIX.length();
  private static final int MAX_NAME_BYTES = 255 - RESULT_SUFFIX.length();

  private final BackupEngine engine;
  private final Staging staging;
  final Path dir;
  private final Executor worker;
  private final StorageEvents events;

  RestoreInbox(BackupEngine engine, Path dir, Executor worker, StorageEvents events) {
    this.engine = engine;
    this.staging = engine.staging();
    this.dir = dir;
    this.worker = worker;
    this.events = events;
  }

  /** Names starting with '.' are the bridge's own part and temporary files. */
  static boolean visible(String name) { return !name.startsWith("."); }

  Upload begin(NewObject object) throws IOException {
    if (object.name().endsWith(RESULT_SUFFIX)) throw new StorageException(StorageError.ACCESS_DENIED, "result files are written by the device");
    if (!visible(object.name())) throw new StorageException(StorageError.ACCESS_DENIED, "names starting with '.' are reserved by the device: rename the file");
    if (object.name().length() > MAX_NAME_CHARS || object.name().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new StorageException(StorageError.INVALID_NAME, "an archive name here has at most " + MAX_NAME_CHARS
          + " characters (" + MAX_NAME_BYTES + " bytes in UTF-8), as its result file adds " + RESULT_SUFFIX + ": shorten it");
    }
    if (Files.exists(dir.resolve(object.name()))) throw new StorageException(StorageError.ALREADY_EXISTS, object.name() + " exists");
    if (object.sizeKnown() && object.size() > staging.free()) {
      throw new StorageException(StorageError.STORE_FULL, object.size() + " bytes do not fit: " + staging.free() + " free in staging (delete old backups)");
    }
    return new StagedUpload(staging, dir.resolve(object.name()), Long.MAX_VALUE, p -> worker.execute(() -> run(p)));
  }

  void delete(String name) throws IOException {
    Path p = dir.resolve(name);
    long size = Files.size(p);
    Files.delete(p);
    staging.release(size);
    events.storageInfoChanged();
  }

  /**
   * Restores one archive. Whatever happens (a refused or hostile archive, an owner failing, even an
   * Error such as running out of heap), the session ends here, the engine returns to normal and a
   * .result.txt says why: a failure is this job's, never the worker's.
   */
  private void run(Path archive) {
    String name = archive.getFileName().toString();
    String result;
    try {
      events.added(BackupStorage.RESTORE, name);
      result = restore(archive, name);
    } catch (Throwable t) {
      log.error("restore of {} failed", name, t);
      result = "failed: nothing was restored: " + t + "\n";
    }
    writeResult(archive, name, result);
  }

  private String restore(Path archive, String name) {
    BackupSession session;
    try {
      session = engine.open(false, false, false, List.of(), List.of());
    } catch (EngineException e) {
      return "failed: nothing was restored: " + e.getMessage() + "\n";
    }
    try (InputStream in = Files.newInputStream(archive)) {
      session.awaitReadiness(engine.config().readinessTimeout());
      BackupSession.RestoreReport report = session.writeRestoreArchive(in);
      // Everything is applied here, at commit, or nothing is.
      session.close(true);
      return resultText(report.setId(), session.restoreOutcomes());
    } catch (EngineException | IOException | RuntimeException | Error e) {
      return "failed: nothing was restored: " + (e instanceof Error ? e.toString() : e.getMessage()) + "\n";
    } finally {
      // Ends the session if it is still open (a no-op after close): never left in restore mode,
      // and an abort removes whatever was staged.
      session.abort("restore of " + name + " ended");
    }
  }

  /**
   * "success" when every owner was restored; "failed: nothing was restored" when no owner's data
   * changed; "partial failure" otherwise; then one line per owner.
   */
  static String resultText(String setId, Map<String, OwnerOutcome> outcomes) {
    boolean all = true, any = false;
    for (OwnerOutcome o : outcomes.values()) {
      if (o.kind() != OwnerOutcome.Kind.RESTORED) all = false;
      if (o.kind() == OwnerOutcome.Kind.RESTORED || o.kind() == OwnerOutcome.Kind.PARTIAL
          || o.kind() == OwnerOutcome.Kind.FAILED_AFTER_APPLY) any = true;
    }
    StringBuilder sb = new StringBuilder(all ? "success\n" : any ? "partial failure\n" : "failed: nothing was restored\n");
    sb.append("set: ").append(setId).append('\n');
    for (Map.Entry<String, OwnerOutcome> e : outcomes.entrySet()) sb.append("owner ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    return sb.toString();
  }

  private void writeResult(Path archive, String name, String result) {
    try {
      // The archive was only a vehicle: free its staging space once restored.
      if (Files.exists(archive)) {
        delete(name);
        events.removed(BackupStorage.RESTORE, name);
      }
      byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
      staging.reserve(bytes.length);
      Path res = dir.resolve(name + RESULT_SUFFIX);
      Path tmp = dir.resolve("." + name + ".tmp"); // hidden, and no longer than the result's own name
      Files.write(tmp, bytes);
      Files.move(tmp, res, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      events.added(BackupStorage.RESTORE, res.getFileName().toString());
    } catch (IOException | RuntimeException e) {
      log.error("cannot write the result of restoring {}: {}", name, e.getMessage());
    }
  }
}
