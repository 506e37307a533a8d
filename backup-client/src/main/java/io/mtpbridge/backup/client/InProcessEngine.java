package io.mtpbridge.backup.client;

/**
 * The engine as an owner in the same JVM sees it. The engine implements this; the owner only
 * passes it to {@link ActiveBackupClient#connect(InProcessEngine, String, ActiveBackupDataClient, ModeListener)}.
 */
public interface InProcessEngine {

  /**
   * Attaches {@code owner} under the registered id {@code ownerId}. The engine calls {@code owner}
   * on a thread of its own and pushes every mode change (and the current one, at once) to
   * {@code modes}, on that thread. Throws {@link IllegalArgumentException} when no active owner has that id.
   */
  Attachment attach(String ownerId, ActiveBackupDataClient owner, java.util.function.Consumer<ModeInfo> modes);

  /** The owner's end of an in-process attachment. */
  interface Attachment {
    void confirmReady(int error);

    void detach();
  }
}
