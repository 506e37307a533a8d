package io.mtpbridge.backup.client.wire;

import java.io.IOException;

/** The peer sent bytes that are not a valid frame: the connection cannot be trusted any more. */
public class FrameFormatException extends IOException {
  public FrameFormatException(String message) { super(message); }
}
