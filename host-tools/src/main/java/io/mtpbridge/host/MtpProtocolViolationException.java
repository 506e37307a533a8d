package io.mtpbridge.host;

import java.io.IOException;

/** The device broke the MTP-over-USB framing (wrong container type, transaction id, length). */
public class MtpProtocolViolationException extends IOException {
  public MtpProtocolViolationException(String message) { super(message); }
}
