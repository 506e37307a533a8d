package io.mtpbridge.core.transport;

import java.io.IOException;

/**
 * The host reset the device (class request Device Reset), or disconnected, or the configuration
 * was disabled. The session ends; the transport keeps serving the next host.
 */
public class TransportResetException extends IOException {
  public TransportResetException(String message) { super(message); }
}
