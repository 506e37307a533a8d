package io.mtpbridge.backup.client;

import java.util.List;

/**
 * What the engine tells one owner when the mode changes: the mode, the volumes this owner takes
 * part with, and whether a partial operation includes it (always true for a full one, false in
 * normal mode).
 */
public record ModeInfo(BurMode mode, List<String> volumes, boolean affectsMe) {
  public ModeInfo {
    volumes = List.copyOf(volumes);
  }

  public static ModeInfo normal(List<String> volumes) { return new ModeInfo(BurMode.NORMAL_MODE, volumes, false); }
}
