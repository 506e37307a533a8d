package io.mtpbridge.backup.protocol;

import java.util.Locale;

/** An owner's status as the host sees it; the numbers are the seed's and travel as a uint16. */
public enum OwnerStatus {
  NOT_FOUND(1), READY(2), NOT_READY(3), FAILED(4), NOT_CONNECTED(5), READY_NO_IMPL(6);

  private final int code;

  OwnerStatus(int code) { this.code = code; }

  public int code() { return code; }

  public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

  /** The status with this wire code, or null for a code this version does not know. */
  public static OwnerStatus of(int code) {
    for (OwnerStatus s : values()) if (s.code == code) return s;
    return null;
  }
}
