package io.mtpbridge.backup.engine;

import java.util.Locale;

/**
 * What a restore did for one owner. After an archive (WriteRestoreArchive): {@link Kind#STAGED}
 * (verified and handed over, applied at commit), or why not. After the commit (close): what the
 * owner's data now is. {@code detail} says why, for everything but STAGED and RESTORED.
 */
public record OwnerOutcome(Kind kind, String detail) {
  public enum Kind {
    /** Verified and handed over (passive: staged in hidden files; active: delivered); applied at commit. */
    STAGED,
    /** Applied at commit. */
    RESTORED,
    /** Applied at commit, but part of the archive's data could not be (e.g. a volume the device lacks). */
    PARTIAL,
    /** Nothing of this owner was applied (or what was applied was rolled back); the owner's data is as it was. */
    FAILED,
    /** The owner failed after its data was applied (an active owner's restoreComplete or checksum). */
    FAILED_AFTER_APPLY,
    /** The archive had nothing for this owner to restore (not in it, marked failed by the backup, not registered here). */
    SKIPPED
  }

  public static final OwnerOutcome STAGED = new OwnerOutcome(Kind.STAGED, null);
  public static final OwnerOutcome RESTORED = new OwnerOutcome(Kind.RESTORED, null);

  public static OwnerOutcome failed(String why) { return new OwnerOutcome(Kind.FAILED, why); }

  public static OwnerOutcome skipped(String why) { return new OwnerOutcome(Kind.SKIPPED, why); }

  /** True for STAGED and RESTORED: everything of the owner went (or will go) through. */
  public boolean ok() { return kind == Kind.STAGED || kind == Kind.RESTORED; }

  /** One line, as result files and logs show it: "restored", "failed: why", ... */
  @Override public String toString() {
    String k = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return detail == null ? k : k + ": " + detail;
  }
}
