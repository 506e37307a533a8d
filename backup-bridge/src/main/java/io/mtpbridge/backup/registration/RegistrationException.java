package io.mtpbridge.backup.registration;

import java.nio.file.Path;

/** A registration file that cannot be used, with where and why, so its author can fix it. */
public class RegistrationException extends Exception {
  private final Path file;
  private final int line;
  private final String reason;

  public RegistrationException(Path file, int line, String reason) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public Path file() { return file; }

  /** 1-based line of the problem, or 0 when it concerns the file as a whole. */
  public int line() { return line; }

  public String reason() { return reason; }
}
