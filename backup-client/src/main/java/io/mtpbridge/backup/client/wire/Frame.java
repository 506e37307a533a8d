package io.mtpbridge.backup.client.wire;

import java.util.List;

/**
 * The frames of the owner IPC protocol (see {@link FrameCodec} for the byte layout). Owner to
 * engine: {@link Hello}, {@link Ready}, {@link Result}, {@link Failed}. Engine to owner:
 * {@link Welcome}, {@link Refused}, {@link Mode}, {@link Call}, {@link Terminate}.
 */
public sealed interface Frame {
  int TYPE_HELLO = 1, TYPE_WELCOME = 2, TYPE_REFUSED = 3, TYPE_MODE = 4, TYPE_READY = 5, TYPE_CALL = 6,
      TYPE_RESULT = 7, TYPE_FAILED = 8, TYPE_TERMINATE = 9;

  int type();

  record Hello(int version, String ownerId) implements Frame {
    public int type() { return TYPE_HELLO; }
  }

  record Welcome() implements Frame {
    public int type() { return TYPE_WELCOME; }
  }

  record Refused(String reason) implements Frame {
    public int type() { return TYPE_REFUSED; }
  }

  record Mode(int mode, boolean affectsMe, List<String> volumes) implements Frame {
    public Mode { volumes = List.copyOf(volumes); }
    public int type() { return TYPE_MODE; }
  }

  record Ready(int error) implements Frame {
    public int type() { return TYPE_READY; }
  }

  /** An engine call; {@code data} is the input section (empty for calls that take none). */
  record Call(int callId, int callback, String volume, boolean flag, byte[] data) implements Frame {
    public int type() { return TYPE_CALL; }
  }

  /** The owner's answer; {@code data} is what it wrote for the get calls. */
  record Result(int callId, boolean finished, long value, byte[] data) implements Frame {
    public int type() { return TYPE_RESULT; }
  }

  /** The owner's callback threw; the message says what. */
  record Failed(int callId, String message) implements Frame {
    public int type() { return TYPE_FAILED; }
  }

  record Terminate() implements Frame {
    public int type() { return TYPE_TERMINATE; }
  }
}
