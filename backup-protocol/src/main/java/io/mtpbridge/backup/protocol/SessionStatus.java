package io.mtpbridge.backup.protocol;

import java.util.List;

/**
 * A backup session's state and each owner's progress, as GetSessionStatus (0x9A04) reports it.
 * {@code error} is "" (or null on the device side) when the session has none.
 */
public record SessionStatus(int sessionId, SessionState state, String error, List<Owner> owners) {
  public SessionStatus { owners = List.copyOf(owners); }

  /** One owner's part: its status, its error ("" or null for none), bytes moved so far and expected (0 unknown). */
  public record Owner(String id, OwnerStatus status, String error, long bytesDone, long expectedBytes) {}
}
