package io.mtpbridge.core.transport;

import java.util.Arrays;

/** A response container: code, the transaction it ends, and up to five parameters. */
public final class Response {
  private final int code;
  private final int transactionId;
  private final int[] params;

  public Response(int code, int transactionId, int... params) {
    if (params.length > 5) throw new IllegalArgumentException("at most 5 parameters, got " + params.length);
    this.code = code & 0xFFFF;
    this.transactionId = transactionId;
    this.params = params.clone();
  }

  public int code() { return code; }
  public int transactionId() { return transactionId; }
  public int paramCount() { return params.length; }
  public int param(int index) { return index < params.length ? params[index] : 0; }
  public int[] params() { return params.clone(); }

  @Override public String toString() {
    return String.format("Response[0x%04X tid=%d params=%s]", code, transactionId, Arrays.toString(params));
  }
}
