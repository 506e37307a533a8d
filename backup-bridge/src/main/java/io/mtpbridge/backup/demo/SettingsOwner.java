package io.mtpbridge.backup.demo;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.client.ModeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The in-process demo owner: a small settings store kept in one properties file. While a backup
 * or restore runs its writes wait (so the backed-up file is consistent); restored data is kept
 * aside and applied only on restoreComplete, so an aborted restore changes nothing.
 */
public final class SettingsOwner implements ActiveBackupDataClient {
  public static final String OWNER_ID = "io.mtpbridge.demo.settings";

  private final Path file;
  private final Path incoming;
  private final Object lock = new Object();
  private boolean paused;
  private ActiveBackupClient client;
  private InputStream backupStream;
  private OutputStream restoreStream;
  private boolean restoreReady;

  public SettingsOwner(Path directory) throws IOException {
    Files.createDirectories(directory);
    this.file = directory.resolve("settings.properties");
    this.incoming = directory.resolve(".settings.restoring");
    if (!Files.exists(file)) Files.createFile(file);
  }

  /** Connects to the engine and starts following the mode. */
  public void connect(io.mtpbridge.backup.client.InProcessEngine engine) {
    client = ActiveBackupClient.connect(engine, OWNER_ID, this, this::onMode);
  }

  private void onMode(ModeInfo info) {
    synchronized (lock) {
      paused = !info.mode().isNormal() && info.affectsMe();
      lock.notifyAll();
    }
    if (paused) {
      try {
        client.confirmReady(ActiveBackupClient.READY);
      } catch (IOException e) {
        // the engine is gone; nothing to confirm to
      }
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

  @Override public void allSnapshotsSupplied() {}

  @Override public void receiveSnapshotData(String volume, ByteBuffer section, boolean last) {
    // Not incremental: every backup is a base, so previous snapshots are of no use.
  }

  @Override public long getExpectedDataSize(String volume) throws IOException { return Files.size(file); }

  @Override public boolean getSnapshotData(String volume, ByteBuffer buffer) { return true; }

  @Override public void initialiseGetBackupData(String volume) throws IOException {
    closeQuietly();
    backupStream = Files.newInputStream(file);
  }

  @Override public boolean getBackupDataSection(ByteBuffer buffer) throws IOException {
    int n = backupStream.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    if (n < 0) {
      closeQuietly();
      return true;
    }
    buffer.position(buffer.position() + n);
    return false;
  }

  @Override public void initialiseRestoreBaseData(String volume) throws IOException {
    closeQuietly();
    restoreReady = false;
    restoreStream = Files.newOutputStream(incoming);
  }

  @Override public void restoreBaseDataSection(ByteBuffer section, boolean finished) throws IOException {
    Channels.newChannel(restoreStream).write(section);
    if (finished) {
      restoreStream.close();
      restoreStream = null;
      restoreReady = true;
    }
  }

  @Override public void initialiseRestoreIncrementData(String volume) throws IOException {
    throw new IOException("the settings store takes base data only");
  }

  @Override public void restoreIncrementDataSection(ByteBuffer section, boolean finished) throws IOException {
    throw new IOException("the settings store takes base data only");
  }

  @Override public void restoreComplete(String volume) throws IOException {
    synchronized (lock) {
      if (restoreReady) Files.move(incoming, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      restoreReady = false;
    }
  }

  @Override public void terminateMultiStageOperation() {
    closeQuietly();
    restoreReady = false;
    try {
      Files.deleteIfExists(incoming);
    } catch (IOException ignored) {
      // the next restore overwrites it
    }
  }

  @Override public long getDataChecksum(String volume) throws IOException {
    CRC32 crc = new CRC32();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(8192);
      while (ch.read(b) > 0) {
        b.flip();
        crc.update(b);
        b.clear();
      }
    }
    return crc.getValue();
  }

  private void closeQuietly() {
    try {
      if (backupStream != null) backupStream.close();
      if (restoreStream != null) restoreStream.close();
    } catch (IOException ignored) {
      // nothing to recover
    }
    backupStream = null;
    restoreStream = null;
  }
}
