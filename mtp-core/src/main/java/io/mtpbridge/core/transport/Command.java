package io.mtpbridge.core.transport;

import java.util.Arrays;

/**
 * An operation request as it arrived from the initiator: the operation code, the transaction id
 * and up to five parameters. Parameters the initiator did not send are absent (not zero), because
 * some operations distinguish "not given" from 0.
 */
public final class Command {
  private final int code;
  private final int transactionId;
  private final int[] params;

  public Command(int code, int transactionId, int... params) {
    if (params.length > 5) throw new IllegalArgumentException("at most 5 parameters, got " + params.length);
    this.code = code & 0xFFFF;
    this.transactionId = transactionId;
    this.params = params.clone();
  }

  public int code() { return code; }
  public int transactionId() { return transactionId; }
  public int paramCount() { return params.length; }

  /** Parameter {@code index} (0-based), or 0 when the initiator sent fewer. */
  public int param(int index) { return index < params.length ? params[index] : 0; }
  public int[] params() { return params.clone(); }

  @Override public String toString() {
    return String.format("Command[0x%04X tid=%d params=%s]", code, transactionId, Arrays.toString(params));
  }
}
