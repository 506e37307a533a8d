package io.mtpbridge.backup.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the engine finds its registrations and volumes and keeps its staging, and how long it
 * waits for owners. {@code socket} may be null (in-process owners only).
 */
public record EngineConfig(Path registrationDirectory, Map<String, Path> volumes, Path socket, Path stagingDirectory,
    long stagingLimit, Duration readinessTimeout, String deviceName) {

  public EngineConfig {
    volumes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(volumes));
    if (stagingLimit <= 0) throw new IllegalArgumentException("staging limit must be positive");
    if (readinessTimeout.isNegative() || readinessTimeout.isZero()) throw new IllegalArgumentException("readiness timeout must be positive");
  }
}
