package io.mtpbridge.backup.format;

/** An archive that must not be restored, naming the stream (tar entry) that failed and why. */
public class ArchiveException extends Exception {
  private final String stream;

  public ArchiveException(String stream, String reason) {
    super(stream == null ? reason : "stream " + stream + ": " + reason);
    this.stream = stream;
  }

  /** The tar entry at fault, or null when the archive as a whole is. */
  public String stream() { return stream; }
}
