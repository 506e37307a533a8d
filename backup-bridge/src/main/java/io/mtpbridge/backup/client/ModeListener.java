package io.mtpbridge.backup.client;

/**
 * Told of every mode change, and once at connect with the current mode (a backup may already be
 * running). Called on the client's delivery thread; an owner typically quiesces here and then
 * calls {@link ActiveBackupClient#confirmReady(int)}.
 */
@FunctionalInterface
public interface ModeListener {
  void modeChanged(ModeInfo info);
}
