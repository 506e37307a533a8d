package io.mtpbridge.backup.archive;

import io.mtpbridge.backup.format.Manifest;
import java.util.Collections;
import java.util.Map;

/**
 * An archive whose every stream was spooled and matched the manifest's size and SHA-256. Only
 * now may an owner see its bytes. {@link #close()} frees the staging space.
 */
public final class VerifiedArchive implements AutoCloseable {
  private final Manifest manifest;
  private final Map<String, Spool> streams;
  private final Map<String, Integer> modes;

  VerifiedArchive(Manifest manifest, Map<String, Spool> streams, Map<String, Integer> modes) {
    this.manifest = manifest;
    this.streams = Collections.unmodifiableMap(streams);
    this.modes = Map.copyOf(modes);
  }

  /** The permission bits the tar entry carries (0644 when absent). */
  public int mode(String name) { return modes.getOrDefault(name, 0644) & 0777; }

  public Manifest manifest() { return manifest; }

  /** The verified stream for a tar entry name, or null when the archive has none. */
  public Spool stream(String name) { return streams.get(name); }

  public long totalBytes() {
    long n = 0;
    for (Spool s : streams.values()) n += s.size();
    return n;
  }

  @Override public void close() {
    for (Spool s : streams.values()) s.delete();
  }
}
