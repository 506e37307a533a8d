package io.mtpbridge.cli;

/** A wrong command line or option value; the message is one line naming it and what to write instead. */
public class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
