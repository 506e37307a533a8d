package io.mtpbridge.core.transport;

import java.io.IOException;

/** The transport was shut down for good; the responder's serve loop returns. */
public class TransportClosedException extends IOException {
  public TransportClosedException(String message) { super(message); }
}
