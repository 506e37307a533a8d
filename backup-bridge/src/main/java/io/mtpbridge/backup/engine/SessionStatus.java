package io.mtpbridge.backup.engine;

import java.util.List;

/** A session's state and each owner's progress, as GetSessionStatus reports it. */
public record SessionStatus(int sessionId, BackupSession.State state, String error, List<Owner> owners) {
  public SessionStatus { owners = List.copyOf(owners); }

  public record Owner(String id, OwnerStatus status, String error, long bytesDone, long expectedBytes) {}
}
