package io.mtpbridge.backup.protocol;

/**
 * The operations of the {@value BackupExtension#VENDOR_EXTENSION} vendor extension. Parameters,
 * data phases and response parameters are documented in backup-bridge/README.md; the datasets are
 * {@link BackupDatasets}.
 */
public enum BackupOperationCode {
  GET_BACKUP_OWNERS(0x9A01, "GetBackupOwners"),
  OPEN_BACKUP_SESSION(0x9A02, "OpenBackupSession"),
  SUPPLY_SNAPSHOTS(0x9A03, "SupplySnapshots"),
  GET_SESSION_STATUS(0x9A04, "GetSessionStatus"),
  READ_BACKUP_ARCHIVE(0x9A05, "ReadBackupArchive"),
  WRITE_RESTORE_ARCHIVE(0x9A06, "WriteRestoreArchive"),
  CLOSE_BACKUP_SESSION(0x9A07, "CloseBackupSession");

  private final int value;
  private final String displayName;

  BackupOperationCode(int value, String displayName) {
    this.value = value;
    this.displayName = displayName;
  }

  public int value() { return value; }

  public String displayName() { return displayName; }

  /** The operation with this code, or null when it is not one of the extension's. */
  public static BackupOperationCode of(int value) {
    for (BackupOperationCode c : values()) if (c.value == value) return c;
    return null;
  }
}
