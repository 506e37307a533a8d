package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.registration.Registration;

/** What the socket side needs from the engine: look owners up and report their comings and goings. */
interface OwnerDirectory {
  /** The registration of an active owner, or null. */
  Registration activeRegistration(String ownerId);

  /** Adds a newly connected owner (replacing an older connection of the same owner) and tells it the mode. */
  void attach(String ownerId, OwnerPort port);

  void ready(String ownerId, OwnerPort port, int error);

  void lost(String ownerId, OwnerPort port, String reason);
}
