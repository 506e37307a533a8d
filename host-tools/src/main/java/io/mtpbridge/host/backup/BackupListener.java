package io.mtpbridge.host.backup;

import io.mtpbridge.backup.protocol.SessionStatus;

/** Hears how a backup or restore advances (the CLI's progress); every method defaults to nothing. */
public interface BackupListener {
  BackupListener NONE = new BackupListener() {};

  /** The device's session status (owners, their state and expected bytes), whenever it was polled. */
  default void status(SessionStatus status) {}

  /** A phase starts: "snapshots", "archive", "verify SET", "restore SET"; total bytes or -1. */
  default void phase(String what, long totalBytes) {}

  /** The archive reached a stream of {@code owner} (null for the manifest). */
  default void owner(String owner) {}

  default void bytes(long n) {}

  /** The phase ended. */
  default void phaseEnd() {}
}
