package io.mtpbridge.host.cli;

/** A failure to report as one line (exit status 1, or 2 for a usage problem found after parsing). */
final class CliException extends RuntimeException {
  private final int exitStatus;

  CliException(String message) {
    this(message, io.mtpbridge.cli.ExitStatus.FAILURE);
  }

  CliException(String message, int exitStatus) {
    super(message);
    this.exitStatus = exitStatus;
  }

  int exitStatus() { return exitStatus; }

  static CliException usage(String message) {
    return new CliException(message, io.mtpbridge.cli.ExitStatus.USAGE);
  }
}
