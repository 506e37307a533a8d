package io.mtpbridge.backup.engine;

/** A request the engine refuses, with the rule it broke. */
public class EngineException extends Exception {
  private final EngineError error;

  public EngineException(EngineError error, String message) {
    super(message);
    this.error = error;
  }

  public EngineError error() { return error; }
}
