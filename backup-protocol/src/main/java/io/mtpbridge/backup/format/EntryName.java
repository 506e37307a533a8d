package io.mtpbridge.backup.format;

import io.mtpbridge.backup.protocol.Names;

/**
 * A tar entry name split into its parts: {@code owners/<owner>/<volume>/<kind>} or
 * {@code owners/<owner>/<volume>/files/<relative path>}. Parsing rejects absolute paths, '..',
 * empty segments and unknown kinds, so nothing read from an archive can name a place outside
 * its owner's area.
 */
public record EntryName(String owner, String volume, String kind, String relativePath) {
  public static final String ACTIVE_BASE = "active.base";
  public static final String ACTIVE_INCREMENT = "active.increment";
  public static final String ACTIVE_SNAPSHOT = "active.snapshot";
  public static final String FILES_SNAPSHOT = "files.snapshot";
  public static final String FILE = "file";
  private static final int MAX_NAME = 4096;

  public static EntryName of(String owner, String volume, String kind) {
    return new EntryName(owner, volume, kind, null);
  }

  public static EntryName file(String owner, String volume, String relativePath) {
    return new EntryName(owner, volume, FILE, relativePath);
  }

  public String toName() {
    String base = "owners/" + owner + "/" + volume + "/";
    return kind.equals(FILE) ? base + "files/" + relativePath : base + kind;
  }

  public static EntryName parse(String name) throws ArchiveException {
    if (name.length() > MAX_NAME) throw new ArchiveException(name.substring(0, 64) + "...", "entry name too long");
    String[] p = name.split("/", -1);
    if (p.length < 4 || !p[0].equals("owners")) throw new ArchiveException(name, "not an entry of a backup set");
    for (String seg : p) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.indexOf('\0') >= 0 || seg.indexOf('\\') >= 0) {
        throw new ArchiveException(name, "entry name has an empty, '.', '..' or invalid segment");
      }
    }
    if (!Names.OWNER_ID.matcher(p[1]).matches()) throw new ArchiveException(name, "bad owner id");
    if (!Names.VOLUME.matcher(p[2]).matches()) throw new ArchiveException(name, "bad volume name");
    if (p.length == 4) {
      switch (p[3]) {
        case ACTIVE_BASE: case ACTIVE_INCREMENT: case ACTIVE_SNAPSHOT: case FILES_SNAPSHOT:
          return of(p[1], p[2], p[3]);
        default:
          throw new ArchiveException(name, "unknown stream kind '" + p[3] + "'");
      }
    }
    if (!p[3].equals("files")) throw new ArchiveException(name, "unknown stream kind '" + p[3] + "'");
    return file(p[1], p[2], String.join("/", java.util.Arrays.copyOfRange(p, 4, p.length)));
  }
}
