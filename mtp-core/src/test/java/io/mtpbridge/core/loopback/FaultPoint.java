package io.mtpbridge.core.loopback;

/** Where in a transaction the simulated host cancels it or resets the device. */
public enum FaultPoint {
  /** When the responder opens the data phase (before any byte moves). */
  DATA_PHASE_START,
  /** After a given number of data-phase bytes moved (see {@link LoopbackRequest#faultAfterBytes}). */
  AFTER_BYTES,
  /** When the responder sends the response (the data phase, if any, completed). */
  RESPONSE,
  /**
   * At the Nth time the handler asks whether the transaction was cancelled
   * ({@code MtpTransport.checkCancelled}, between the objects of a CopyObject, say), N given as
   * {@link LoopbackRequest#faultAfterBytes}.
   */
  CHECK
}
