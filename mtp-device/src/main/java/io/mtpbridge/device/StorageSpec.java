package io.mtpbridge.device;

import io.mtpbridge.core.storage.fs.Ownership;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One storage to serve, as written on the command line or in the config file:
 * {@code NAME=PATH}, followed by options each starting with a colon, in any order: {@code :ro}
 * (read-only), and for what the host creates there {@code :uid=USER}, {@code :gid=GROUP} (names
 * or numbers), {@code :file-mode=0644}, {@code :folder-mode=0755} (octal).
 *
 * @param ownership owner, group and modes of the files and folders the host creates
 */
public record StorageSpec(String name, Path path, boolean readOnly, Ownership ownership) {
  public static final String SYNTAX = "NAME=PATH[:ro][:uid=USER][:gid=GROUP][:file-mode=OCTAL][:folder-mode=OCTAL]";

  /** An option at the end of the text: ":ro", ":rw" or ":key=value". */
  private static final Pattern OPTION = Pattern.compile(":(ro|rw|[a-z][a-z-]*=[^:=]*)$");

  public StorageSpec {
    Objects.requireNonNull(ownership);
  }

  /** A storage whose new files get what a normal creation gives. */
  public StorageSpec(String name, Path path, boolean readOnly) {
    this(name, path, readOnly, Ownership.DEFAULT);
  }

  public static StorageSpec parse(String text) throws UsageException {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new UsageException("storage \"" + text + "\" is not " + SYNTAX + " (for example Internal=/srv/mtp or Photos=/data/photos:ro)");
    }
    String name = text.substring(0, eq).strip();
    String path = text.substring(eq + 1).strip();
    boolean readOnly = false;
    String uid = null;
    String gid = null;
    Integer fileMode = null;
    Integer folderMode = null;
    // Options are peeled off the end, so a path may itself contain colons.
    for (Matcher m = OPTION.matcher(path); m.find(); m = OPTION.matcher(path)) {
      String option = m.group(1);
      path = path.substring(0, m.start());
      int at = option.indexOf('=');
      String key = at < 0 ? option : option.substring(0, at);
      String value = at < 0 ? null : option.substring(at + 1).strip();
      switch (key) {
        case "ro" -> readOnly = true;
        case "rw" -> { }
        case "uid" -> uid = once(text, key, uid, value);
        case "gid" -> gid = once(text, key, gid, value);
        case "file-mode" -> fileMode = mode(text, key, fileMode, value);
        case "folder-mode" -> folderMode = mode(text, key, folderMode, value);
        default -> throw new UsageException("storage \"" + text + "\": unknown option \"" + key
            + "\" (the options are ro, uid=, gid=, file-mode=, folder-mode=)");
      }
    }
    path = path.strip();
    if (name.isEmpty() || path.isEmpty()) throw new UsageException("storage \"" + text + "\" is not " + SYNTAX);
    boolean owned = uid != null || gid != null || fileMode != null || folderMode != null;
    if (readOnly && owned) {
      throw new UsageException("storage \"" + text + "\" is read-only, so the host creates nothing there: drop :ro or the uid/gid/mode options");
    }
    Ownership ownership = owned
        ? new Ownership(user(text, uid), group(text, gid), fileMode, folderMode)
        : Ownership.DEFAULT;
    return new StorageSpec(name, Path.of(path), readOnly, ownership);
  }

  private static String once(String text, String key, String previous, String value) throws UsageException {
    if (previous != null) throw new UsageException("storage \"" + text + "\": " + key + "= given twice");
    if (value.isEmpty()) throw new UsageException("storage \"" + text + "\": " + key + "= needs a user or group name or number");
    return value;
  }

  private static Integer mode(String text, String key, Integer previous, String value) throws UsageException {
    if (previous != null) throw new UsageException("storage \"" + text + "\": " + key + "= given twice");
    if (!value.matches("[0-7]{1,5}") || Integer.parseInt(value, 8) > 07777) {
      throw new UsageException("storage \"" + text + "\": " + key + "=" + value + " is not an octal mode such as 0644, 0755 or 02775");
    }
    return Integer.parseInt(value, 8);
  }

  private static UserPrincipalLookupService lookup() { return FileSystems.getDefault().getUserPrincipalLookupService(); }

  private static UserPrincipal user(String text, String uid) throws UsageException {
    if (uid == null) return null;
    try {
      return lookup().lookupPrincipalByName(uid);
    } catch (UserPrincipalNotFoundException e) {
      throw new UsageException("storage \"" + text + "\": no user \"" + uid + "\" on this system: give an existing user name or a numeric uid");
    } catch (IOException e) {
      throw new UsageException("storage \"" + text + "\": cannot look up user \"" + uid + "\": " + e.getMessage());
    }
  }

  private static GroupPrincipal group(String text, String gid) throws UsageException {
    if (gid == null) return null;
    try {
      return lookup().lookupPrincipalByGroupName(gid);
    } catch (UserPrincipalNotFoundException e) {
      throw new UsageException("storage \"" + text + "\": no group \"" + gid + "\" on this system: give an existing group name or a numeric gid");
    } catch (IOException e) {
      throw new UsageException("storage \"" + text + "\": cannot look up group \"" + gid + "\": " + e.getMessage());
    }
  }

  @Override public String toString() {
    StringBuilder b = new StringBuilder(name).append('=').append(path);
    if (readOnly) b.append(":ro");
    if (ownership.owner() != null) b.append(":uid=").append(ownership.owner().getName());
    if (ownership.group() != null) b.append(":gid=").append(ownership.group().getName());
    if (ownership.fileMode() != null) b.append(String.format(":file-mode=%04o", ownership.fileMode()));
    if (ownership.folderMode() != null) b.append(String.format(":folder-mode=%04o", ownership.folderMode()));
    return b.toString();
  }
}
