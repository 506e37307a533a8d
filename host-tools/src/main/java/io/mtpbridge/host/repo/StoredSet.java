package io.mtpbridge.host.repo;

import io.mtpbridge.backup.format.Manifest;
import java.nio.file.Path;

/** A complete backup set in the repository: its folder, its manifest and the PC's record of it. */
public record StoredSet(Path folder, Manifest manifest, SetRecord record) {
  public static final String ARCHIVE = "backup.tar";

  public String id() { return manifest.setId(); }

  /** The parent set's id, or null for a full (base) set. */
  public String parent() { return manifest.isIncrement() ? manifest.parent() : null; }

  public boolean incremental() { return manifest.isIncrement(); }

  /** "full" or "incremental", as history shows it. */
  public String type() { return incremental() ? "incremental" : "full"; }

  public String created() { return manifest.created(); }

  public Path archive() { return folder.resolve(ARCHIVE); }

  public Path manifestFile() { return folder.resolve(Manifest.FILE_NAME); }
}
