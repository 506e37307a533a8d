package io.mtpbridge.core.storage;

import java.io.IOException;

/** A storage refused or failed a request; {@link #error()} says why in protocol-neutral terms. */
public class StorageException extends IOException {
  private final StorageError error;

  public StorageException(StorageError error, String message) {
    super(message);
    this.error = error;
  }

  public StorageException(StorageError error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public StorageError error() { return error; }

  public static StorageException notSupported(String what) {
    return new StorageException(StorageError.NOT_SUPPORTED, what + " is not supported by this storage");
  }
}
