package io.mtpbridge.host.repo;

import io.mtpbridge.backup.format.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A complete backup set in the repository: its folder, a summary of its manifest and the PC's
 * record of it. The whole manifest (every stream's record: up to {@link Manifest#MAX_STREAMS}) is
 * not held here, so a listing of many large sets stays small; {@link #loadManifest} reads it for
 * the one set being verified or restored.
 */
public record StoredSet(Path folder, Manifest.Summary summary, SetRecord record) {
  public static final String ARCHIVE = "backup.tar";

  public String id() { return summary.setId(); }

  /** The parent set's id, or null for a full (base) set. */
  public String parent() { return summary.isIncrement() ? summary.parent() : null; }

  public boolean incremental() { return summary.isIncrement(); }

  /** "full" or "incremental", as history shows it. */
  public String type() { return incremental() ? "incremental" : "full"; }

  public String created() { return summary.created(); }

  public String mode() { return summary.mode(); }

  /** The manifest's owners and how each came out of the backup. */
  public List<Manifest.OwnerState> owners() { return summary.owners(); }

  /** How many streams (tar entries besides manifest.json) the manifest lists. */
  public int streams() { return summary.streams(); }

  public Path archive() { return folder.resolve(ARCHIVE); }

  public Path manifestFile() { return folder.resolve(Manifest.FILE_NAME); }

  /**
   * Reads this set's whole manifest.json again (to verify or restore this one set), checked to be
   * the one listed: a manifest changed since the listing is an IOException saying so.
   */
  public Manifest loadManifest() throws IOException {
    return BackupRepository.loadManifest(this);
  }
}
