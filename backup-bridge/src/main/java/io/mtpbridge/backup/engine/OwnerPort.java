package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.client.Callback;
import io.mtpbridge.backup.client.ModeInfo;
import java.nio.ByteBuffer;
import java.time.Duration;

/** The engine's handle on one connected active owner, in-process or over the socket. */
interface OwnerPort {

  /**
   * Makes one call and waits at most {@code timeout} (the watchdog). {@code output} (for the get
   * calls) comes back with what the owner wrote, flipped for reading.
   */
  Callback.CallResult call(Callback callback, String volume, ByteBuffer input, boolean flag, ByteBuffer output,
      Duration timeout) throws OwnerFailure;

  /** Tells the owner its multi-stage operation was cut short; never blocks for long. */
  void terminate();

  /** Pushes a mode change; never blocks for long. */
  void sendMode(ModeInfo info);

  boolean isOpen();

  void close();
}
