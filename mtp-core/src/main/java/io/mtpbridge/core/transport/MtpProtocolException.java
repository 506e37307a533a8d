package io.mtpbridge.core.transport;

import java.io.IOException;

/**
 * The initiator broke the framing rules (wrong container type, a data container whose code or
 * transaction id does not match the command, a length that cannot be). The responder answers with
 * {@link #responseCode()} when it can.
 */
public class MtpProtocolException extends IOException {
  private final int responseCode;

  public MtpProtocolException(int responseCode, String message) {
    super(message);
    this.responseCode = responseCode;
  }

  public int responseCode() { return responseCode; }
}
