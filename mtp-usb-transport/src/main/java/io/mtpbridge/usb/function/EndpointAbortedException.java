package io.mtpbridge.usb.function;

import java.io.IOException;

/** A transfer was cut short: the endpoint was aborted (cancel) or disabled (disconnect, reset). */
public class EndpointAbortedException extends IOException {
  public EndpointAbortedException(String message) { super(message); }
}
