package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.BackupSession;
import io.mtpbridge.backup.protocol.BackupExtension;
import io.mtpbridge.core.responder.ResponderBuilder;
import io.mtpbridge.core.responder.SessionListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plugs the Backup Engine into the MTP responder: the vendor extension
 * {@value #VENDOR_EXTENSION} with operations 0x9A01..0x9A07, and the abort of a backup session
 * when the MTP session that opened it ends (CloseSession, device reset, USB disconnect).
 * The Backup storage is added separately (see {@link BackupStorage}).
 */
public final class BackupBridge implements SessionListener {
  public static final String VENDOR_EXTENSION = BackupExtension.VENDOR_EXTENSION;

  private final BackupEngine engine;
  /** backup session id -> the MTP session that opened it. */
  private final Map<Integer, Integer> owners = new ConcurrentHashMap<>();

  public BackupBridge(BackupEngine engine) { this.engine = engine; }

  public BackupEngine engine() { return engine; }

  /** Advertises the extension and registers its operations and this session listener. */
  public ResponderBuilder install(ResponderBuilder builder) {
    builder.addVendorExtension(VENDOR_EXTENSION)
        .addOperation(new GetBackupOwners(this))
        .addOperation(new OpenBackupSession(this))
        .addOperation(new SupplySnapshots(this))
        .addOperation(new GetSessionStatus(this))
        .addOperation(new ReadBackupArchive(this))
        .addOperation(new WriteRestoreArchive(this))
        .addOperation(new CloseBackupSession(this))
        .addSessionListener(this);
    return builder;
  }

  /** {@link #install(ResponderBuilder)} plus the "Backup" storage. */
  public ResponderBuilder install(ResponderBuilder builder, BackupStorage storage) {
    return install(builder).addStorage(storage);
  }

  void adopt(BackupSession s, int mtpSession) { owners.put(s.id(), mtpSession); }

  void release(BackupSession s) { owners.remove(s.id()); }

  /** True when the MTP session {@code mtpSession} opened this backup session. */
  boolean owns(int mtpSession, BackupSession s) {
    Integer o = owners.get(s.id());
    return o != null && o == mtpSession;
  }

  /** Does this MTP session already hold a backup session? */
  boolean holdsSession(int mtpSession) {
    BackupSession current = engine.currentSession();
    return current != null && owns(mtpSession, current);
  }

  @Override public void sessionOpened(int sessionId) {}

  @Override public void sessionClosed(int sessionId, End reason) {
    for (Map.Entry<Integer, Integer> e : owners.entrySet()) {
      if (e.getValue() != sessionId) continue;
      BackupSession s = engine.session(e.getKey());
      owners.remove(e.getKey());
      if (s != null) s.abort("MTP session " + sessionId + " ended (" + reason + ")");
    }
  }
}
