package io.mtpbridge.core.responder;

/**
 * The responder cannot go on serving safely (its handle index is damaged): {@link MtpResponder#serve}
 * ends with this instead of answering with handles that may name the wrong objects. A daemon lets
 * it end the process with a failure status, so its service manager starts it afresh.
 */
public final class ResponderFailedException extends RuntimeException {
  public ResponderFailedException(String message) { super(message); }
}
