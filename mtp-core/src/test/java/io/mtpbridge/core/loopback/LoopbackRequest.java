package io.mtpbridge.core.loopback;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.io.ByteArrayInputStream;
import java.util.Objects;

/**
 * One transaction as the simulated host performs it: the command, an optional data phase toward
 * the device (streamed from a channel), where to put data from the device (captured in memory by
 * default, or streamed to a sink), and an optional cancel or reset at a chosen point.
 */
public final class LoopbackRequest {
  /** What the host does at the fault point. */
  public enum Fault { NONE, CANCEL, RESET }

  final Command command;
  ReadableByteChannel dataSource;
  long dataLength = -2; // -2: no data phase; -1: unknown length (0xFFFFFFFF)
  WritableByteChannel sink;
  Fault fault = Fault.NONE;
  FaultPoint faultPoint;
  long faultAfterBytes;

  private LoopbackRequest(Command command) { this.command = Objects.requireNonNull(command); }

  public static LoopbackRequest of(Command command) { return new LoopbackRequest(command); }

  public static LoopbackRequest of(int code, int tid, int... params) { return new LoopbackRequest(new Command(code, tid, params)); }

  /** A data phase toward the device carrying {@code data} (length known). */
  public LoopbackRequest data(byte[] data) {
    return data(Channels.newChannel(new ByteArrayInputStream(data)), data.length);
  }

  public LoopbackRequest data(ByteBuffer data) {
    byte[] b = new byte[data.remaining()];
    data.duplicate().get(b);
    return data(b);
  }

  /**
   * A streamed data phase toward the device: {@code length} payload bytes, or
   * {@link DataIn#UNKNOWN_LENGTH} to announce 0xFFFFFFFF and end when {@code source} ends.
   */
  public LoopbackRequest data(ReadableByteChannel source, long length) {
    if (length < -1) throw new IllegalArgumentException("length " + length);
    this.dataSource = Objects.requireNonNull(source);
    this.dataLength = length;
    return this;
  }

  /** Streams the device's data phase into {@code sink} instead of capturing it. */
  public LoopbackRequest sink(WritableByteChannel sink) {
    this.sink = Objects.requireNonNull(sink);
    return this;
  }

  public LoopbackRequest cancelAt(FaultPoint point) { return fault(Fault.CANCEL, point, 0); }

  public LoopbackRequest cancelAfterBytes(long bytes) { return fault(Fault.CANCEL, FaultPoint.AFTER_BYTES, bytes); }

  public LoopbackRequest resetAt(FaultPoint point) { return fault(Fault.RESET, point, 0); }

  /** Cancels at the {@code n}th cancellation check of the handler (1 = the first). */
  public LoopbackRequest cancelAtCheck(int n) { return fault(Fault.CANCEL, FaultPoint.CHECK, n); }

  /** Resets the device at the {@code n}th cancellation check of the handler. */
  public LoopbackRequest resetAtCheck(int n) { return fault(Fault.RESET, FaultPoint.CHECK, n); }

  public LoopbackRequest resetAfterBytes(long bytes) { return fault(Fault.RESET, FaultPoint.AFTER_BYTES, bytes); }

  private LoopbackRequest fault(Fault f, FaultPoint point, long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes " + bytes);
    this.fault = f;
    this.faultPoint = point;
    this.faultAfterBytes = bytes;
    return this;
  }

  public Command command() { return command; }
  boolean hasData() { return dataLength != -2; }
}
