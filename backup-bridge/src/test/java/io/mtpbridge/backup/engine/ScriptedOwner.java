package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/** A test owner that streams a fixed payload, or misbehaves in a chosen way; counts terminates. */
class ScriptedOwner implements ActiveBackupDataClient {
  enum Fault { NONE, HANG, THROW, NO_PROGRESS, CRASH, NEVER_READY, LOSES_DATA }

  final Fault fault;
  final byte[] payload;
  final AtomicInteger terminates = new AtomicInteger();
  volatile ActiveBackupClient client;
  private int pos;
  private int sections;

  ScriptedOwner(Fault fault, int size) {
    this.fault = fault;
    this.payload = new byte[size];
    for (int i = 0; i < size; i++) payload[i] = (byte) (i * 7 + 3);
  }

  void onMode(io.mtpbridge.backup.client.ModeInfo info, io.mtpbridge.backup.client.Readiness readiness) {
    if (info.mode().isNormal() || fault == Fault.NEVER_READY) return;
    readiness.ready();
  }

  @Override public void allSnapshotsSupplied() {}
  @Override public void receiveSnapshotData(String volume, ByteBuffer section, boolean last) {}
  @Override public long getExpectedDataSize(String volume) { return payload.length; }
  @Override public boolean getSnapshotData(String volume, ByteBuffer buffer) { return true; }

  @Override public void initialiseGetBackupData(String volume) throws Exception {
    if (fault == Fault.THROW) throw new IllegalStateException("database is locked");
    pos = 0;
    sections = 0;
  }

  @Override public boolean getBackupDataSection(ByteBuffer buffer) throws Exception {
    sections++;
    if (fault == Fault.HANG && sections == 2) Thread.sleep(60_000);
    if (fault == Fault.NO_PROGRESS) return false;
    if (fault == Fault.CRASH && sections == 2) {
      client.close(); // the process "dies" mid-stream: its socket closes
      throw new IOException("crashed");
    }
    int n = Math.min(buffer.remaining(), payload.length - pos);
    buffer.put(payload, pos, n);
    pos += n;
    return pos == payload.length;
  }

  @Override public void initialiseRestoreBaseData(String volume) {}
  @Override public void restoreBaseDataSection(ByteBuffer section, boolean finished) {}
  @Override public void initialiseRestoreIncrementData(String volume) {}
  @Override public void restoreIncrementDataSection(ByteBuffer section, boolean finished) {}
  private volatile boolean restored;

  @Override public void restoreComplete(String volume) { restored = true; }
  @Override public void terminateMultiStageOperation() { terminates.incrementAndGet(); }
  /** An owner that "loses" data on restore reports a different checksum afterwards. */
  @Override public long getDataChecksum(String volume) { return fault == Fault.LOSES_DATA && restored ? 1 : 0; }
}
