package io.mtpbridge.host.files;

import java.io.IOException;

/** A remote path names nothing on the device. */
public class RemoteNotFoundException extends IOException {
  public RemoteNotFoundException(String message) {
    super(message);
  }
}
