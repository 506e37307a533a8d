package io.mtpbridge.backup.engine;

import java.util.List;

/** An owner as GetBackupOwners and /Owners/&lt;id&gt;.txt show it. */
public record OwnerView(String id, boolean active, OwnerStatus status, List<String> volumes, boolean supportsIncremental,
    boolean requiresReboot, long expectedSize, String lastError) {
  public OwnerView { volumes = List.copyOf(volumes); }
}
