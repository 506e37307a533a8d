package io.mtpbridge.backup.protocol;

import java.util.Locale;

/**
 * Where a backup session stands, as GetSessionStatus reports it (a uint16 on the wire).
 * OPEN: opened, nothing moved yet; TRANSFERRING: the archive is flowing; TRANSFERRED: the archive
 * was read (backup) or verified and taken (restore), close remains; ABORTED: cut short (only close
 * remains); CLOSED: ended.
 */
public enum SessionState {
  OPEN(1), TRANSFERRING(2), TRANSFERRED(3), ABORTED(4), CLOSED(5);

  private final int code;

  SessionState(int code) { this.code = code; }

  public int code() { return code; }

  public String label() { return name().toLowerCase(Locale.ROOT); }

  /** The state with this wire code, or null for a code this version does not know. */
  public static SessionState of(int code) {
    for (SessionState s : values()) if (s.code == code) return s;
    return null;
  }
}
