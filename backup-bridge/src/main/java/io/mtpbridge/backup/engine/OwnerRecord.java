package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.registration.Registration;

/** The engine's live state of one registered owner; guarded by the engine's lock. */
final class OwnerRecord {
  static final int NOT_CONFIRMED = Integer.MIN_VALUE;

  final Registration registration;
  OwnerPort port;
  int readyError = NOT_CONFIRMED;
  String lastError;
  long lastExpectedSize;

  OwnerRecord(Registration registration) { this.registration = registration; }

  String id() { return registration.ownerId(); }

  boolean connected() { return port != null && port.isOpen(); }
}
