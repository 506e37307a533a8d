package io.mtpbridge.host.files;

/** Hears how a transfer advances (a progress bar); every method defaults to nothing. */
public interface TransferProgress {
  TransferProgress NONE = new TransferProgress() {};

  /** A transfer of {@code total} bytes (-1 unknown) called {@code label} starts. */
  default void start(String label, long total) {}

  default void advance(long bytes) {}

  /** The transfer ended (successfully or not). */
  default void end() {}
}
