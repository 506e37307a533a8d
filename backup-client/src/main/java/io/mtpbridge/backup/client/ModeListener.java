package io.mtpbridge.backup.client;

/**
 * Told of every mode change, and once at connect with the current mode (a backup may already be
 * running). Called on the client's delivery thread, one change at a time. When a backup or
 * restore that includes the owner starts ({@code info.affectsMe()}), the owner quiesces and then
 * answers through {@code readiness} (here or later, from any thread).
 */
@FunctionalInterface
public interface ModeListener {
  void modeChanged(ModeInfo info, Readiness readiness);
}
