package io.mtpbridge.backup.client;

/**
 * The system-wide backup/restore mode: a part type ({@link #NORMAL}, {@link #BACKUP_FULL}, ...)
 * or'ed with an increment type ({@link #BASE} or {@link #INCREMENT}). The numeric values are the
 * seed's, so an owner ported from it reads the same numbers.
 */
public final class BurMode {
  public static final int NORMAL = 0x01;
  public static final int BACKUP_FULL = 0x02;
  public static final int BACKUP_PARTIAL = 0x04;
  public static final int RESTORE_FULL = 0x08;
  public static final int RESTORE_PARTIAL = 0x10;
  public static final int BASE = 0x100;
  public static final int INCREMENT = 0x200;

  private static final int PART_MASK = 0xFF;
  private static final int INCREMENT_MASK = 0xF00;

  public static final BurMode NORMAL_MODE = new BurMode(NORMAL);

  private final int value;

  private BurMode(int value) { this.value = value; }

  /** Parses a mode value; throws {@link IllegalArgumentException} for combinations that cannot be. */
  public static BurMode of(int value) {
    int part = value & PART_MASK;
    int inc = value & INCREMENT_MASK;
    if ((value & ~(PART_MASK | INCREMENT_MASK)) != 0) throw new IllegalArgumentException(bad(value));
    switch (part) {
      case NORMAL:
        if (inc != 0) throw new IllegalArgumentException(bad(value));
        return NORMAL_MODE;
      case BACKUP_FULL: case BACKUP_PARTIAL: case RESTORE_FULL: case RESTORE_PARTIAL:
        if (inc != BASE && inc != INCREMENT) throw new IllegalArgumentException(bad(value));
        return new BurMode(value);
      default:
        throw new IllegalArgumentException(bad(value));
    }
  }

  private static String bad(int value) { return String.format("not a backup/restore mode: 0x%X", value); }

  public int value() { return value; }
  public int partType() { return value & PART_MASK; }
  public int incrementType() { return value & INCREMENT_MASK; }
  public boolean isNormal() { return partType() == NORMAL; }
  public boolean isBackup() { return partType() == BACKUP_FULL || partType() == BACKUP_PARTIAL; }
  public boolean isRestore() { return partType() == RESTORE_FULL || partType() == RESTORE_PARTIAL; }
  public boolean isPartial() { return partType() == BACKUP_PARTIAL || partType() == RESTORE_PARTIAL; }
  public boolean isIncrement() { return incrementType() == INCREMENT; }

  @Override public boolean equals(Object o) { return o instanceof BurMode && ((BurMode) o).value == value; }
  @Override public int hashCode() { return value; }

  @Override public String toString() {
    if (isNormal()) return "normal";
    String part = (isBackup() ? "backup-" : "restore-") + (isPartial() ? "partial" : "full");
    return part + (isIncrement() ? "/increment" : "/base");
  }
}
