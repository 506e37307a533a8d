package io.mtpbridge.core.responder;

import java.io.IOException;

/** A handler's refusal: answered with {@link #responseCode()} and optional parameters. */
public class MtpOperationException extends IOException {
  private final int responseCode;
  private final int[] params;

  public MtpOperationException(int responseCode, String message, int... params) {
    super(message);
    this.responseCode = responseCode & 0xFFFF;
    this.params = params.clone();
  }

  public MtpOperationException(int responseCode, String message, Throwable cause) {
    super(message, cause);
    this.responseCode = responseCode & 0xFFFF;
    this.params = new int[0];
  }

  public int responseCode() { return responseCode; }
  public int[] params() { return params.clone(); }
}
