package io.mtpbridge.backup.demo;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.BackupAgent;
import io.mtpbridge.backup.client.InProcessEngine;
import io.mtpbridge.backup.client.ModeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The in-process demo owner, written on {@link BackupAgent}: a small settings store kept in one
 * properties file. While a backup or restore includes it, its writes wait (so the backed-up file
 * is consistent); a restore replaces the file in one rename when the session commits.
 */
public final class SettingsOwner extends BackupAgent {
  public static final String OWNER_ID = "io.mtpbridge.demo.settings";

  private final Path file;
  private final Object lock = new Object();
  private boolean paused;

  public SettingsOwner(Path directory) throws IOException {
    Files.createDirectories(directory);
    this.file = directory.resolve("settings.properties");
    if (!Files.exists(file)) Files.createFile(file);
  }

  /** Connects to the engine and starts following the mode. */
  public ActiveBackupClient connect(InProcessEngine engine) { return connect(engine, OWNER_ID); }

  @Override protected void prepare(ModeInfo mode) {
    synchronized (lock) {
      paused = true;
    }
  }

  @Override protected void resume() {
    synchronized (lock) {
      paused = false;
      lock.notifyAll();
    }
  }

  /** Sets a value; waits while a backup or restore runs. */
  public void put(String key, String value) throws IOException, InterruptedException {
    synchronized (lock) {
      while (paused) lock.wait();
      Properties p = load();
      p.setProperty(key, value);
      Path tmp = file.resolveSibling(".settings.tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, null);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public String get(String key) throws IOException {
    synchronized (lock) {
      return load().getProperty(key);
    }
  }

  public TreeMap<String, String> all() throws IOException {
    TreeMap<String, String> m = new TreeMap<>();
    Properties p;
    synchronized (lock) {
      p = load();
    }
    for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
    return m;
  }

  private Properties load() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  public boolean writesPaused() {
    synchronized (lock) {
      return paused;
    }
  }

  @Override protected long expectedSize(String volume) throws IOException { return Files.size(file); }

  /** Not incremental: every backup is the whole file (the registration says so). */
  @Override protected void backup(String volume, InputStream previous, OutputStream data, OutputStream snapshot) throws IOException {
    Files.copy(file, data);
  }

  @Override protected void restore(String volume, List<RestorePart> chain) throws IOException {
    RestorePart base = chain.get(chain.size() - 1);
    if (!base.isBase() || chain.size() != 1) throw new IOException("the settings store takes one base only");
    Path incoming = file.resolveSibling(".settings.restoring");
    try (InputStream in = base.open()) {
      Files.copy(in, incoming, StandardCopyOption.REPLACE_EXISTING);
    }
    synchronized (lock) {
      Files.move(incoming, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override protected long checksum(String volume) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(Files.readAllBytes(file));
    return crc.getValue();
  }
}
