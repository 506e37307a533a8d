package io.mtpbridge.backup.protocol;

/** How the backup extension is found and what its parameters mean. */
public final class BackupExtension {
  /** The DeviceInfo vendor-extension entry (terminated by ';', as libmtp needs). */
  public static final String VENDOR_EXTENSION = "mtpbridge.io/backup: 1.0;";
  /** The entry's name part, to look for in a device's vendor extension string. */
  public static final String NAME = "mtpbridge.io/backup";

  /**
   * The longest OpenBackupSession (0x9A02) takes to answer, in seconds: it answers once every
   * active owner of the session confirmed readiness, reported an error, or the device's readiness
   * timeout passed (30 s by default), and never later than this. A host waits at least this long
   * for its response; owners not ready by then are NotReady in GetSessionStatus.
   */
  public static final int OPEN_SESSION_MAX_SECONDS = 60;

  private BackupExtension() {}

  /** OpenBackupSession parameter 1. */
  public enum Mode {
    BACKUP(1), RESTORE(2);
    private final int code;
    Mode(int code) { this.code = code; }
    public int code() { return code; }
    public static Mode of(int code) { for (Mode m : values()) if (m.code == code) return m; return null; }
  }

  /** OpenBackupSession parameter 2: every owner, or those named in the data phase. */
  public enum Scope {
    FULL(1), PARTIAL(2);
    private final int code;
    Scope(int code) { this.code = code; }
    public int code() { return code; }
    public static Scope of(int code) { for (Scope s : values()) if (s.code == code) return s; return null; }
  }

  /** OpenBackupSession parameter 3. */
  public enum Increment {
    BASE(1), INCREMENT(2);
    private final int code;
    Increment(int code) { this.code = code; }
    public int code() { return code; }
    public static Increment of(int code) { for (Increment i : values()) if (i.code == code) return i; return null; }
  }

  /** CloseBackupSession parameter 2. */
  public enum Outcome {
    COMMIT(1), ABORT(2);
    private final int code;
    Outcome(int code) { this.code = code; }
    public int code() { return code; }
    public static Outcome of(int code) { for (Outcome o : values()) if (o.code == code) return o; return null; }
  }
}
