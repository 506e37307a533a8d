package io.mtpbridge.core.storage.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;

/**
 * Owner, group and permission bits of the files and folders the host creates in a file-system
 * storage (uploads, copies, moves between storages, new folders), so that applications on the
 * device can use what the PC put there. A null part means "what a normal creation by mtpd gives":
 * mtpd's own user and group, files {@code 0666 & ~umask}, folders {@code 0777 & ~umask}
 * (0644 and 0755 with the usual umask 022).
 *
 * <p>Giving files another owner needs root (CAP_CHOWN); a group needs root unless mtpd's user is
 * a member of it. Modes may carry the set-group-ID bit for folders (02775), so that what is
 * created inside inherits the folder's group, the way media folders are shared with apps.
 *
 * @param owner owner of new objects, or null for mtpd's user
 * @param group group of new objects, or null for mtpd's group (or the folder's, with set-group-ID)
 * @param fileMode permission bits of new files (0 to 07777), or null for {@code 0666 & ~umask}
 * @param folderMode permission bits of new folders (0 to 07777), or null for {@code 0777 & ~umask}
 */
public record Ownership(UserPrincipal owner, GroupPrincipal group, Integer fileMode, Integer folderMode) {
  /** What a normal creation gives. */
  public static final Ownership DEFAULT = new Ownership(null, null, null, null);

  public Ownership {
    checkMode("file mode", fileMode);
    checkMode("folder mode", folderMode);
  }

  private static void checkMode(String what, Integer mode) {
    if (mode != null && (mode < 0 || mode > 07777)) {
      throw new IllegalArgumentException(what + " " + Integer.toOctalString(mode) + " is not between 0 and 07777");
    }
  }

  public boolean isDefault() { return equals(DEFAULT); }

  /** The mode a new file gets. */
  public int effectiveFileMode() { return fileMode != null ? fileMode : 0666 & ~Umask.get(); }

  /**
   * Gives a finished upload (still under its private temporary name) its owner, group and mode,
   * just before it is renamed into place. The owner goes first: chown may clear set-ID bits.
   */
  void applyToFile(Path file) throws IOException {
    applyOwner(file);
    Files.setAttribute(file, "unix:mode", effectiveFileMode(), LinkOption.NOFOLLOW_LINKS);
  }

  /** Gives a folder just created with the process's umask its owner, group and configured mode. */
  void applyToFolder(Path folder) throws IOException {
    applyOwner(folder);
    if (folderMode != null) Files.setAttribute(folder, "unix:mode", folderMode, LinkOption.NOFOLLOW_LINKS);
  }

  private void applyOwner(Path p) throws IOException {
    if (owner == null && group == null) return;
    // Never through a link (lchown): a name swapped for a link must not hand its target to the owner.
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) throw new IOException("the file system of " + p + " has no owners and groups");
    if (owner != null) view.setOwner(owner);
    if (group != null) view.setGroup(group);
  }

  @Override public String toString() {
    return "owner " + (owner == null ? "(mtpd's)" : owner.getName()) + ", group " + (group == null ? "(mtpd's)" : group.getName())
        + ", files " + (fileMode == null ? "(umask)" : String.format("%04o", fileMode))
        + ", folders " + (folderMode == null ? "(umask)" : String.format("%04o", folderMode));
  }
}
