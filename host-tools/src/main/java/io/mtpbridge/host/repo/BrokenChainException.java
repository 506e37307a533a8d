package io.mtpbridge.host.repo;

import java.io.IOException;

/** An incremental set whose parent (or an ancestor) is not in the repository. */
public class BrokenChainException extends IOException {
  private final String missing;

  public BrokenChainException(String set, String missing) {
    super("set " + set + " needs set " + missing + ", which is not in the repository: the chain is broken,"
        + " so it cannot be restored (restore an older complete set, or make a new full backup with --full)");
    this.missing = missing;
  }

  public String missing() { return missing; }
}
