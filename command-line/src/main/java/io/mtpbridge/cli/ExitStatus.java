package io.mtpbridge.cli;

/** The exit statuses every program of the project uses (mtpd, device-sim, mtpbridge). */
public final class ExitStatus {
  /** Done as asked (also after --help and --version, and after a clean stop by a signal). */
  public static final int OK = 0;
  /** Something outside the command line failed: a device, a file, a storage, a transfer. */
  public static final int FAILURE = 1;
  /** The command line itself is wrong; nothing was done. */
  public static final int USAGE = 2;

  private ExitStatus() {}
}
