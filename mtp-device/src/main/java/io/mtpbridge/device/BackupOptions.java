package io.mtpbridge.device;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How mtpd runs the backup bridge (present only when {@code --backup-registrations} is given).
 *
 * @param registrations the directory of owner registration files (*.xml)
 * @param volumes volume name -> root folder, in the order given; registrations name these volumes
 * @param staging where backups and restores are staged (the Backup storage's files live here)
 * @param stagingLimit bytes the staging directory may hold
 * @param socket the Unix socket for out-of-process owners, or null for in-process owners only
 * @param readyTimeout how long the engine waits for active owners to confirm readiness
 */
public record BackupOptions(Path registrations, Map<String, Path> volumes, Path staging, long stagingLimit,
                           Path socket, Duration readyTimeout) {
  public static final Path DEFAULT_STAGING = Path.of("/var/lib/mtpd/backup-staging");
  public static final long DEFAULT_STAGING_LIMIT = 8L << 30;
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);

  public BackupOptions {
    volumes = Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
  }
}
