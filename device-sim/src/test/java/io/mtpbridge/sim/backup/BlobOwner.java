package io.mtpbridge.sim.backup;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.client.InProcessEngine;
import io.mtpbridge.backup.client.ModeInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A small in-process active owner for the simulated-device tests: one data file, streamed out
 * section by section, restored into a side file that replaces it only on restoreComplete. It
 * counts terminateMultiStageOperation() calls and can be told to hang in its backup callback or
 * to fail its restoreComplete (a failure at commit).
 */
final class BlobOwner implements ActiveBackupDataClient {
  final String id;
  final Path file;
  private final Path incoming;
  final AtomicInteger terminations = new AtomicInteger();
  final AtomicInteger backupsStarted = new AtomicInteger();
  volatile boolean hang;
  /** When set, restoreComplete fails: the owner refuses the restore at commit. */
  volatile boolean failAtCommit;
  private final CountDownLatch release = new CountDownLatch(1);
  private ActiveBackupClient client;
  private FileChannel reading;
  private FileChannel writing;

  BlobOwner(String id, Path directory) throws IOException {
    this.id = id;
    Files.createDirectories(directory);
    file = directory.resolve("data.bin");
    incoming = directory.resolve(".data.restoring");
    if (!Files.exists(file)) Files.createFile(file);
  }

  void connect(InProcessEngine engine) {
    client = ActiveBackupClient.connect(engine, id, this, this::onMode);
  }

  private void onMode(ModeInfo info, io.mtpbridge.backup.client.Readiness readiness) {
    if (!info.mode().isNormal() && info.affectsMe()) readiness.ready();
  }

  /** Lets a hanging callback return (test teardown). */
  void release() { release.countDown(); }

  void close() {
    release();
    if (client != null) client.close();
  }

  byte[] content() throws IOException { return Files.readAllBytes(file); }

  boolean restoreLeftovers() { return Files.exists(incoming); }

  @Override public void allSnapshotsSupplied() {}

  @Override public void receiveSnapshotData(String volume, ByteBuffer section, boolean last) {}

  @Override public long getExpectedDataSize(String volume) throws IOException { return Files.size(file); }

  @Override public boolean getSnapshotData(String volume, ByteBuffer buffer) { return true; }

  @Override public void initialiseGetBackupData(String volume) throws IOException {
    backupsStarted.incrementAndGet();
    reading = FileChannel.open(file, StandardOpenOption.READ);
  }

  @Override public boolean getBackupDataSection(ByteBuffer buffer) throws Exception {
    if (hang) release.await(30, TimeUnit.SECONDS);
    while (buffer.hasRemaining()) {
      if (reading.read(buffer) < 0) {
        reading.close();
        return true;
      }
    }
    return false;
  }

  @Override public void initialiseRestoreBaseData(String volume) throws IOException {
    writing = FileChannel.open(incoming, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override public void restoreBaseDataSection(ByteBuffer section, boolean finished) throws IOException {
    while (section.hasRemaining()) writing.write(section);
    if (finished) writing.close();
  }

  @Override public void initialiseRestoreIncrementData(String volume) {
    throw new UnsupportedOperationException("registered without incremental support");
  }

  @Override public void restoreIncrementDataSection(ByteBuffer section, boolean finished) {
    throw new UnsupportedOperationException("registered without incremental support");
  }

  @Override public void restoreComplete(String volume) throws IOException {
    if (failAtCommit) throw new IOException("blob owner: no space left to apply the restore");
    if (Files.exists(incoming)) Files.move(incoming, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override public void terminateMultiStageOperation() {
    terminations.incrementAndGet();
    try {
      if (reading != null) reading.close();
      if (writing != null) writing.close();
      Files.deleteIfExists(incoming);
    } catch (IOException ignored) {
      // the next restore truncates it
    }
  }

  @Override public long getDataChecksum(String volume) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(Files.readAllBytes(file));
    return crc.getValue();
  }
}
