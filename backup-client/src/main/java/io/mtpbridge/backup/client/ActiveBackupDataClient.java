package io.mtpbridge.backup.client;

import java.nio.ByteBuffer;

/**
 * What an active data owner implements: the engine calls these to take the owner's data at backup
 * time and to give it back at restore time. Calls come one at a time, in the order the engine
 * rules fix (snapshots before data; base or increment, once per volume; restore = base, then
 * increments in order). Each call runs under a watchdog: one that does not return within the
 * owner's callback timeout fails the owner for this session. Anything thrown fails the owner too;
 * the session continues for the others.
 *
 * <p>Sections are {@link ByteBuffer}s: for the "get" calls the owner {@code put}s at most
 * {@code remaining()} bytes into the given buffer; for the "restore"/"receive" calls the buffer
 * holds the section between position and limit.
 */
public interface ActiveBackupDataClient {

  /** All snapshots were delivered. A volume that got none needs a base backup. */
  void allSnapshotsSupplied() throws Exception;

  /** A section of this owner's previous snapshot for {@code volume}; {@code last} marks its end. */
  void receiveSnapshotData(String volume, ByteBuffer section, boolean last) throws Exception;

  /** A size estimate in bytes for progress reports only. */
  long getExpectedDataSize(String volume) throws Exception;

  /** Writes a section of the owner's new opaque snapshot; returns true when it is complete. */
  boolean getSnapshotData(String volume, ByteBuffer buffer) throws Exception;

  /** Prepares to stream backup data (base, or increment when a snapshot was received) for a volume. */
  void initialiseGetBackupData(String volume) throws Exception;

  /** Writes the next backup section; returns true when the stream is complete. */
  boolean getBackupDataSection(ByteBuffer buffer) throws Exception;

  /** Prepares to take base data for a volume. */
  void initialiseRestoreBaseData(String volume) throws Exception;

  /** One section of base data; {@code finished} marks the last one. */
  void restoreBaseDataSection(ByteBuffer section, boolean finished) throws Exception;

  /** Prepares to take one increment for a volume (called once per increment, in order). */
  void initialiseRestoreIncrementData(String volume) throws Exception;

  /** One section of increment data; {@code finished} marks the last one of this increment. */
  void restoreIncrementDataSection(ByteBuffer section, boolean finished) throws Exception;

  /** Everything for {@code volume} was supplied: apply it. */
  void restoreComplete(String volume) throws Exception;

  /**
   * The multi-stage operation in progress was cut short (abort, cancel, USB disconnect, timeout):
   * discard partial state. May be called from another thread while a callback is still running.
   */
  void terminateMultiStageOperation();

  /**
   * A checksum of the owner's current data for {@code volume}. The engine takes it after each
   * backup and compares it after restoreComplete, so a restore that did not reproduce the data is
   * reported. Optional: throw {@link UnsupportedOperationException} (the default) when the owner
   * keeps none; that is no failure, there is then nothing to compare.
   */
  default long getDataChecksum(String volume) throws Exception {
    throw new UnsupportedOperationException("no checksum");
  }
}
