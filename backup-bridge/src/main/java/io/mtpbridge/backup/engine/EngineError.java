package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.protocol.BackupResponseCode;

/**
 * Why the engine refused a request. Each maps to one MTP response code (standard where one fits,
 * vendor 0xAA01.. for the engine's own rules); backup-bridge/README.md documents them.
 */
public enum EngineError {
  /** No such backup session (or it belongs to another MTP session). */
  NO_SUCH_SESSION(0x201D),
  /** A request parameter is out of range (mode, scope, increment, outcome, owner list). */
  INVALID_PARAMETER(0x201D),
  /** Another backup session is open: backup and restore switch only through normal mode. */
  MODE_NOT_NORMAL(BackupResponseCode.MODE_NOT_NORMAL.value()),
  /** Snapshots arrived after data had started to flow. */
  SNAPSHOTS_AFTER_DATA(BackupResponseCode.SNAPSHOTS_AFTER_DATA.value()),
  /** Snapshots given to a base backup or a restore, or a second time. */
  SNAPSHOTS_NOT_EXPECTED(BackupResponseCode.SNAPSHOTS_NOT_EXPECTED.value()),
  /** The data was already taken: each owner and volume once per session. */
  ALREADY_TRANSFERRED(BackupResponseCode.ALREADY_TRANSFERRED.value()),
  /** Restore order broken: base first, then increments, each the child of the one before. */
  RESTORE_ORDER(BackupResponseCode.RESTORE_ORDER.value()),
  /** The archive failed verification (corrupt, truncated, tampered); nothing was restored. */
  ARCHIVE_INVALID(BackupResponseCode.ARCHIVE_INVALID.value()),
  /** A partial operation named an owner that is not registered. */
  UNKNOWN_OWNER(BackupResponseCode.UNKNOWN_OWNER.value()),
  /** The operation does not fit the session kind (reading a restore session, writing a backup one). */
  WRONG_SESSION_KIND(BackupResponseCode.WRONG_SESSION_KIND.value()),
  /** The session was aborted earlier (cancel, disconnect, a cut-short transfer); only close remains. */
  SESSION_ABORTED(BackupResponseCode.SESSION_ABORTED.value()),
  /** Staging space would overflow. */
  STORE_FULL(0x200C),
  /** The data phase ended before the archive did. */
  INCOMPLETE_TRANSFER(0x2007);

  private final int responseCode;

  EngineError(int responseCode) { this.responseCode = responseCode; }

  public int responseCode() { return responseCode; }
}
