package io.mtpbridge.core.transport;

import java.util.Arrays;

/** An asynchronous event for the interrupt pipe: code, session-scoped transaction id, up to three parameters. */
public final class Event {
  private final int code;
  private final int transactionId;
  private final int[] params;

  public Event(int code, int transactionId, int... params) {
    if (params.length > 3) throw new IllegalArgumentException("at most 3 event parameters, got " + params.length);
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
    return String.format("Event[0x%04X tid=%d params=%s]", code, transactionId, Arrays.toString(params));
  }
}
