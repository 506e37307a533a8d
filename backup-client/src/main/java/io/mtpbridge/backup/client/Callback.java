package io.mtpbridge.backup.client;

import java.nio.ByteBuffer;

/**
 * The engine-to-owner calls with their wire codes. Each constant knows how to apply itself to an
 * {@link ActiveBackupDataClient}, so the in-process path and the socket path dispatch the same way.
 * {@code input} carries data toward the owner, {@code output} is where the owner writes.
 */
public enum Callback {
  ALL_SNAPSHOTS_SUPPLIED(1) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.allSnapshotsSupplied();
      return CallResult.NONE;
    }
  },
  RECEIVE_SNAPSHOT_DATA(2) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.receiveSnapshotData(v, in, flag);
      return CallResult.NONE;
    }
  },
  GET_EXPECTED_DATA_SIZE(3) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      return new CallResult(false, o.getExpectedDataSize(v));
    }
  },
  GET_SNAPSHOT_DATA(4) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      return new CallResult(o.getSnapshotData(v, out), 0);
    }
  },
  INITIALISE_GET_BACKUP_DATA(5) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.initialiseGetBackupData(v);
      return CallResult.NONE;
    }
  },
  GET_BACKUP_DATA_SECTION(6) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      return new CallResult(o.getBackupDataSection(out), 0);
    }
  },
  INITIALISE_RESTORE_BASE_DATA(7) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.initialiseRestoreBaseData(v);
      return CallResult.NONE;
    }
  },
  RESTORE_BASE_DATA_SECTION(8) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.restoreBaseDataSection(in, flag);
      return CallResult.NONE;
    }
  },
  INITIALISE_RESTORE_INCREMENT_DATA(9) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.initialiseRestoreIncrementData(v);
      return CallResult.NONE;
    }
  },
  RESTORE_INCREMENT_DATA_SECTION(10) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.restoreIncrementDataSection(in, flag);
      return CallResult.NONE;
    }
  },
  RESTORE_COMPLETE(11) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      o.restoreComplete(v);
      return CallResult.NONE;
    }
  },
  /** Answers {@link CallResult#NO_CHECKSUM} when the owner keeps none (throws UnsupportedOperationException). */
  GET_DATA_CHECKSUM(12) {
    @Override public CallResult apply(ActiveBackupDataClient o, String v, ByteBuffer in, boolean flag, ByteBuffer out) throws Exception {
      try {
        return new CallResult(false, o.getDataChecksum(v));
      } catch (UnsupportedOperationException none) {
        return CallResult.NO_CHECKSUM;
      }
    }
  };

  /** Largest section carried by one call, in either direction. */
  public static final int MAX_SECTION = 64 * 1024;

  private final int code;

  Callback(int code) { this.code = code; }

  public int code() { return code; }

  /** True for the calls whose answer is data the owner wrote into {@code output}. */
  public boolean producesData() { return this == GET_SNAPSHOT_DATA || this == GET_BACKUP_DATA_SECTION; }

  public abstract CallResult apply(ActiveBackupDataClient owner, String volume, ByteBuffer input, boolean flag,
      ByteBuffer output) throws Exception;

  public static Callback fromCode(int code) {
    for (Callback c : values()) if (c.code == code) return c;
    throw new IllegalArgumentException("unknown callback code " + code);
  }

  /**
   * A call's answer: the "finished" flag of the get calls, or the numeric value of size/checksum.
   * For {@link #GET_DATA_CHECKSUM}, {@code finished} set means "this owner keeps no checksum".
   */
  public record CallResult(boolean finished, long value) {
    public static final CallResult NONE = new CallResult(false, 0);
    public static final CallResult NO_CHECKSUM = new CallResult(true, 0);
  }
}
