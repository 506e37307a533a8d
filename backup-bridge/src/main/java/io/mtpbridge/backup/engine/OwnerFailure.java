package io.mtpbridge.backup.engine;

/** An owner did not complete a call: it timed out, threw, crashed, disconnected or sent garbage. */
public class OwnerFailure extends Exception {
  private final boolean connectionLost;

  public OwnerFailure(String message, boolean connectionLost) {
    super(message);
    this.connectionLost = connectionLost;
  }

  /** True when the owner is gone (crash, disconnect, garbage) rather than just failed this call. */
  public boolean connectionLost() { return connectionLost; }
}
