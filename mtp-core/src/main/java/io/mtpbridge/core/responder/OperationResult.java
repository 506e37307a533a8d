package io.mtpbridge.core.responder;

import java.util.Arrays;

/** The response a handler wants sent: a response code and up to five parameters. */
public final class OperationResult {
  /** ResponseCode OK. */
  public static final int OK = 0x2001;

  private final int code;
  private final int[] params;

  private OperationResult(int code, int[] params) {
    if (params.length > 5) throw new IllegalArgumentException("at most 5 response parameters");
    this.code = code & 0xFFFF;
    this.params = params.clone();
  }

  public static OperationResult ok(int... params) { return new OperationResult(OK, params); }

  public static OperationResult of(int responseCode, int... params) { return new OperationResult(responseCode, params); }

  public int code() { return code; }
  public int[] params() { return params.clone(); }

  @Override public String toString() { return String.format("0x%04X %s", code, Arrays.toString(params)); }
}
