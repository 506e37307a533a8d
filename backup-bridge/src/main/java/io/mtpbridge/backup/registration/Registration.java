package io.mtpbridge.backup.registration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One data owner as its registration file declares it: exactly one of a passive part (the engine
 * copies the listed files) or an active part (the owner streams its own data).
 */
public record Registration(String ownerId, int uid, Path source, Optional<Passive> passive, Optional<Active> active,
    boolean requiresReboot) {

  public boolean isActive() { return active.isPresent(); }

  /** The volumes this owner holds data on, in declaration order. */
  public List<String> volumes() {
    return active.map(Active::volumes).orElseGet(() -> List.copyOf(passive.orElseThrow().volumes().keySet()));
  }

  public boolean supportsIncremental() {
    // Passive owners always can: the engine keeps their (path, size, mtime) snapshot itself.
    return active.map(Active::supportsIncremental).orElse(true);
  }

  /** Files the engine copies itself, per volume; paths are relative to the volume's root. */
  public record Passive(boolean deleteBeforeRestore, Map<String, Selection> volumes) {
    public Passive { volumes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(volumes)); }
  }

  /** Include directories and files, and excludes (a path or any path below it). */
  public record Selection(List<String> includeDirectories, List<String> includeFiles, List<String> excludes) {
    public Selection {
      includeDirectories = List.copyOf(includeDirectories);
      includeFiles = List.copyOf(includeFiles);
      excludes = List.copyOf(excludes);
    }

    public boolean isExcluded(String relativePath) {
      for (String e : excludes) {
        if (relativePath.equals(e) || relativePath.startsWith(e + "/")) return true;
      }
      return false;
    }
  }

  /** An owner that streams its data through the client API; {@code callbackTimeout} is its watchdog. */
  public record Active(boolean supportsIncremental, Duration callbackTimeout, List<String> volumes) {
    public Active { volumes = List.copyOf(volumes); }
  }
}
