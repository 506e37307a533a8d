package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A device in a temp directory: two volumes, a registration directory, staging. Owners are
 * registered for the uid the tests run as ({@link #uid}), so socket owners started from the test
 * JVM pass the engine's uid check whether the tests run as root or as an ordinary user.
 */
public final class EngineFixture implements AutoCloseable {
  /** The uid of this JVM, the one socket owners started by a test connect as. */
  public static final int MY_UID = (int) new com.sun.security.auth.module.UnixSystem().getUid();

  public final int uid = MY_UID;
  public final Path root;
  public final Path internal;
  public final Path sdcard;
  public final Path registrations;
  public final Path socket;
  public BackupEngine engine;

  public EngineFixture(Path root) throws IOException {
    this.root = root;
    internal = Files.createDirectories(root.resolve("volumes/internal"));
    sdcard = Files.createDirectories(root.resolve("volumes/sdcard"));
    registrations = Files.createDirectories(root.resolve("registrations"));
    Files.setPosixFilePermissions(registrations, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    socket = root.resolve("engine.sock");
  }

  /** Registration files must not be writable by group or others, whatever the umask. */
  public void register(String fileName, String xml) throws IOException {
    io.mtpbridge.backup.registration.RegistrationLoader.install(registrations, fileName, xml);
  }

  public void registerPassive(String id, String dir) throws IOException {
    register(id + ".xml", "<backup_registration owner=\"" + id + "\" uid=\"" + uid + "\">\n"
        + "  <passive_backup delete_before_restore=\"true\">\n"
        + "    <volume name=\"internal\"><include_directory name=\"" + dir + "\"/><exclude name=\"" + dir + "/cache\"/></volume>\n"
        + "  </passive_backup>\n</backup_registration>\n");
  }

  /** An active owner registered for the test's own uid. */
  public void registerActive(String id, boolean incremental, long timeoutMs) throws IOException {
    registerActive(id, uid, incremental, timeoutMs);
  }

  public void registerActive(String id, int uid, boolean incremental, long timeoutMs) throws IOException {
    register(id + ".xml", "<backup_registration owner=\"" + id + "\" uid=\"" + uid + "\">\n"
        + "  <active_backup supports_incremental=\"" + incremental + "\" callback_timeout_ms=\"" + timeoutMs + "\">\n"
        + "    <volume name=\"internal\"/>\n  </active_backup>\n</backup_registration>\n");
  }

  public BackupEngine start(Duration readiness) throws IOException {
    return start(readiness, 1L << 32);
  }

  public BackupEngine start(Duration readiness, long stagingLimit) throws IOException {
    Map<String, Path> vols = new LinkedHashMap<>();
    vols.put("internal", internal);
    vols.put("sdcard", sdcard);
    engine = BackupEngine.start(new EngineConfig(registrations, vols, socket, root.resolve("staging"), stagingLimit, readiness, "test-device"));
    return engine;
  }

  /** Runs a whole backup session into memory (test data is small). */
  public byte[] backup(boolean partial, List<String> owners, byte[] snapshots) throws Exception {
    BackupSession s = engine.open(true, partial, snapshots != null, owners, List.of());
    if (snapshots != null) s.supplySnapshots(new ByteArrayInputStream(snapshots));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.readArchive(out);
    s.close(true);
    return out.toByteArray();
  }

  public BackupSession.RestoreReport restore(boolean partial, List<String> owners, byte[]... archives) throws Exception {
    BackupSession s = engine.open(false, partial, false, owners, List.of());
    BackupSession.RestoreReport last = null;
    for (byte[] a : archives) last = s.writeRestoreArchive(new ByteArrayInputStream(a));
    s.close(true);
    // Everything is applied at close: the outcomes are the ones it reports (plus the last
    // archive's word on owners the device does not have).
    Map<String, OwnerOutcome> outcomes = new LinkedHashMap<>(last.outcomes());
    outcomes.putAll(s.restoreOutcomes());
    return new BackupSession.RestoreReport(last.setId(), outcomes);
  }

  /** Relative path -> content of every regular file under {@code dir}. */
  public static TreeMap<String, String> tree(Path dir) throws IOException {
    TreeMap<String, String> m = new TreeMap<>();
    if (!Files.exists(dir)) return m;
    try (Stream<Path> w = Files.walk(dir)) {
      List<Path> files = new ArrayList<>();
      w.filter(Files::isRegularFile).forEach(files::add);
      for (Path p : files) m.put(dir.relativize(p).toString(), Files.readString(p));
    }
    return m;
  }

  public static InputStream in(byte[] b) { return new ByteArrayInputStream(b); }

  @Override public void close() {
    if (engine != null) engine.close();
  }
}
