package io.mtpbridge.core.container;

import java.io.IOException;

/** Bytes from the host that are not a well-formed container. */
public class MalformedContainerException extends IOException {
  public MalformedContainerException(String message) { super(message); }
}
