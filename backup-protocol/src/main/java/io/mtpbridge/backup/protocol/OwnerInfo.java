package io.mtpbridge.backup.protocol;

import java.util.List;

/**
 * One registered owner, as GetBackupOwners (0x9A01) and /Owners/&lt;id&gt;.txt show it. {@code active}
 * is false for a passive owner (the engine copies its files itself). {@code expectedSize} is the
 * owner's own estimate for progress, 0 when unknown. {@code lastError} is "" when there is none.
 */
public record OwnerInfo(String id, boolean active, OwnerStatus status, List<String> volumes, boolean supportsIncremental,
    boolean requiresReboot, long expectedSize, String lastError) {
  public OwnerInfo { volumes = List.copyOf(volumes); }

  public String kind() { return active ? "active" : "passive"; }
}
