package io.mtpbridge.sim.app;

import io.mtpbridge.backup.demo.JournalOwner;
import io.mtpbridge.backup.demo.JournalOwnerMain;
import io.mtpbridge.backup.demo.SettingsOwner;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.backup.mtp.BackupStorage;
import io.mtpbridge.backup.registration.RegistrationLoader;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.ResponderBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point the simulated device (or any demo) calls: lays out a device under
 * {@code root} (volumes, registrations, staging), starts the engine with its owner socket, the
 * three demo owners — a passive notes folder, the in-process settings store, and the journal as
 * a separate JVM over the socket — and installs the backup extension and the Backup storage into
 * the responder being built.
 *
 * <pre>{@code
 * try (DemoBackup demo = DemoBackup.start(Path.of("/tmp/device"), true)) {
 *   MtpResponder r = demo.install(MtpResponder.builder().install(StandardOperations.SET).addStorage(fs)).build();
 *   ...
 * }
 * }</pre>
 */
public final class DemoBackup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoBackup.class);
  public static final String NOTES_ID = "io.mtpbridge.demo.notes";

  private final BackupEngine engine;
  private final SettingsOwner settings;
  private final Process journalProcess;
  private final BackupStorage storage;
  private final Path root;

  private DemoBackup(Path root, BackupEngine engine, SettingsOwner settings, Process journal, BackupStorage storage) {
    this.root = root;
    this.engine = engine;
    this.settings = settings;
    this.journalProcess = journal;
    this.storage = storage;
  }

  /**
   * Creates (or reuses) the demo device under {@code root}. With {@code journalProcess} the journal
   * owner runs as {@code java -cp <this classpath> io.mtpbridge.backup.demo.JournalOwnerMain}.
   */
  public static DemoBackup start(Path root, boolean journalProcess) throws IOException {
    Path internal = Files.createDirectories(root.resolve("volumes/internal"));
    Path sdcard = Files.createDirectories(root.resolve("volumes/sdcard"));
    Path registrations = Files.createDirectories(root.resolve("registrations"));
    // The engine trusts registrations only when nobody but their owner may change them.
    Files.setPosixFilePermissions(registrations, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path notes = Files.createDirectories(internal.resolve("notes"));
    if (isEmpty(notes)) {
      Files.writeString(notes.resolve("welcome.txt"), "Notes kept on the device; backed up by the engine itself.\n");
      Files.writeString(notes.resolve("shopping.txt"), "milk\nbread\n");
    }
    String uid = String.valueOf(Files.getAttribute(root, "unix:uid"));
    register(registrations.resolve("notes.xml"), "<backup_registration owner=\"" + NOTES_ID + "\" uid=\"" + uid + "\">\n"
        + "  <passive_backup delete_before_restore=\"true\">\n"
        + "    <volume name=\"internal\"><include_directory name=\"notes\"/><exclude name=\"notes/.cache\"/></volume>\n"
        + "  </passive_backup>\n</backup_registration>\n");
    register(registrations.resolve("settings.xml"), "<backup_registration owner=\"" + SettingsOwner.OWNER_ID + "\" uid=\"" + uid + "\">\n"
        + "  <active_backup callback_timeout_ms=\"10000\"><volume name=\"internal\"/></active_backup>\n"
        + "</backup_registration>\n");
    register(registrations.resolve("journal.xml"), "<backup_registration owner=\"" + JournalOwner.OWNER_ID + "\" uid=\"" + uid + "\">\n"
        + "  <active_backup supports_incremental=\"true\" callback_timeout_ms=\"10000\"><volume name=\"internal\"/></active_backup>\n"
        + "  <restore requires_reboot=\"false\"/>\n</backup_registration>\n");
    Map<String, Path> volumes = new LinkedHashMap<>();
    volumes.put("internal", internal);
    volumes.put("sdcard", sdcard);
    Path socket = root.resolve("backup-engine.sock");
    BackupEngine engine = BackupEngine.start(new EngineConfig(registrations, volumes, socket, root.resolve("staging"),
        8L << 30, Duration.ofSeconds(10), "MTP Bridge demo"));
    SettingsOwner settings = new SettingsOwner(internal.resolve("settings"));
    settings.connect(engine);
    try {
      if (settings.get("theme") == null) settings.put("theme", "dark");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Process journal = null;
    if (journalProcess) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      journal = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), JournalOwnerMain.class.getName(),
          "--socket", socket.toString(), "--dir", internal.resolve("journal").toString(), "--seed", "3")
          .redirectErrorStream(true).redirectOutput(root.resolve("journal-owner.log").toFile()).start();
    }
    BackupStorage storage = new BackupStorage(engine, Duration.ofSeconds(3));
    log.info("demo backup device under {} (journal process: {})", root, journalProcess);
    return new DemoBackup(root, engine, settings, journal, storage);
  }

  private static void register(Path file, String xml) throws IOException {
    RegistrationLoader.install(file.getParent(), file.getFileName().toString(), xml);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** Adds the backup extension and the Backup storage to a responder being built. */
  public ResponderBuilder install(ResponderBuilder builder) {
    return new BackupBridge(engine).install(builder, storage);
  }

  public BackupEngine engine() { return engine; }
  public SettingsOwner settings() { return settings; }
  public Path root() { return root; }

  @Override public void close() {
    if (journalProcess != null) {
      journalProcess.destroy();
      try {
        journalProcess.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    engine.close();   // aborts a session in flight first, so the storage's backup job ends quickly
    storage.close();  // then waits for that job
  }
}
