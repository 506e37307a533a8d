package io.mtpbridge.backup.client;

/**
 * How an owner answers one mode change: ready for the backup or restore that starts, or not (an
 * error code of its own). Handed to {@link ModeListener#modeChanged} with the change, so an owner
 * can answer from inside its listener, even while {@code connect} has not returned yet. An answer
 * to a change that a newer one has replaced is dropped; answering twice sends the first only.
 * The engine asks an owner for nothing until it answered (or its readiness timeout passed).
 */
public interface Readiness {
  /** Ready: the owner has quiesced and may be asked for its data (or given it). */
  void ready();

  /** Not taking part this time; {@code error} (not 0) is reported to the host. */
  void notReady(int error);
}
