package io.mtpbridge.device;

/** A bad option or configuration value; the message names it and says what to write instead. */
public class UsageException extends io.mtpbridge.cli.UsageException {
  public UsageException(String message) { super(message); }
}
