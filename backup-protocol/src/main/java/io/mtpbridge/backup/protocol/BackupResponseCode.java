package io.mtpbridge.backup.protocol;

/**
 * The extension's own response codes (vendor range 0xAA01..), one per engine rule, each with what
 * the host should do about it. Standard codes (InvalidParameter, StoreFull, IncompleteTransfer,
 * DeviceBusy) are used where they fit and are not repeated here.
 */
public enum BackupResponseCode {
  MODE_NOT_NORMAL(0xAA01, "another backup or restore session is open; close it (or wait for it) first"),
  SNAPSHOTS_AFTER_DATA(0xAA02, "snapshots must be supplied before any data is read"),
  SNAPSHOTS_NOT_EXPECTED(0xAA03, "snapshots belong only to an incremental backup, and only once"),
  ALREADY_TRANSFERRED(0xAA04, "this session's data was already transferred; open a new session"),
  RESTORE_ORDER(0xAA05, "restore the base set first, then each increment in order"),
  ARCHIVE_INVALID(0xAA06, "the archive failed verification (corrupt, truncated or changed); nothing was restored"),
  UNKNOWN_OWNER(0xAA07, "a requested owner is not registered on the device"),
  WRONG_SESSION_KIND(0xAA08, "the operation does not fit this session (reading a restore, writing a backup)"),
  SESSION_ABORTED(0xAA09, "the session was aborted earlier; close it and open a new one");

  private final int value;
  private final String advice;

  BackupResponseCode(int value, String advice) {
    this.value = value;
    this.advice = advice;
  }

  public int value() { return value; }

  /** What the code means for the person at the host, in one line. */
  public String advice() { return advice; }

  /** The vendor code with this value, or null when it is not one of the extension's. */
  public static BackupResponseCode of(int value) {
    for (BackupResponseCode c : values()) if (c.value == value) return c;
    return null;
  }
}
