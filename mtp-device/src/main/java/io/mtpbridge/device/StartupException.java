package io.mtpbridge.device;

/** The environment does not allow mtpd to start (FunctionFS directory, storage path); the message says what to fix. */
public class StartupException extends Exception {
  public StartupException(String message) { super(message); }

  public StartupException(String message, Throwable cause) { super(message, cause); }
}
