package io.mtpbridge.core.responder;

/**
 * Told when an MTP session begins and ends, so an extension (the backup bridge) can abort work
 * that belongs to the session. Called on the protocol thread; must not block for long.
 */
public interface SessionListener {

  /** Why a session ended. */
  enum End { CLOSED_BY_HOST, RESET, TRANSPORT_CLOSED }

  void sessionOpened(int sessionId);

  void sessionClosed(int sessionId, End reason);
}
