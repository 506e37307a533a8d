package io.mtpbridge.backup.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Checks a backup set's archive against its manifest while it streams past, keeping no entry:
 * each entry's SHA-256 and size are taken as its bytes go by; when the archive ends, the
 * manifest (its last entry, or one given up front, or both — then they must be equal) must list
 * exactly the entries that came, with those sizes and hashes, each inside its own owner's area.
 * What is kept is one small record per entry, as the manifest itself holds.
 *
 * <p>Used where an archive arrives or is re-read: the PC tool verifies a backup as it downloads
 * and re-verifies its repository; the device could verify the same way before spooling.
 */
public final class ArchiveVerifier {
  /** Largest manifest.json read from an archive. */
  public static final int MAX_MANIFEST_BYTES = 64 << 20;
  private static final int CHUNK = 64 * 1024;

  private ArchiveVerifier() {}

  /** Observes the entries as they pass (progress); every method has a default that does nothing. */
  public interface Listener {
    default void entryStarted(String name, long size) {}

    default void bytes(long n) {}
  }

  /** Verifies {@code archive} (read to its end) against its own manifest.json entry; returns that manifest. */
  public static Manifest verify(InputStream archive) throws IOException, ArchiveException {
    return verify(archive, null, new Listener() {});
  }

  /**
   * Verifies {@code archive} (read to its end). With {@code expected} non-null, the archive must
   * match it (and its own manifest.json, if it holds one, must equal it).
   */
  public static Manifest verify(InputStream archive, Manifest expected, Listener listener) throws IOException, ArchiveException {
    MessageDigest sha = sha256();
    Map<String, Seen> seen = new HashMap<>();
    Manifest embedded = null;
    byte[] buf = new byte[CHUNK];
    long nameChars = 0;
    TarArchiveInputStream tar = BoundedTarInputStream.of(archive);
    TarArchiveEntry e;
    try {
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        // isFile() is true for every type but a folder (links, devices, FIFOs too): the type itself decides
        if (!regular(e)) throw new ArchiveException(name, "not a regular file (a backup set holds only files)");
        listener.entryStarted(name, e.getSize());
        if (name.equals(Manifest.FILE_NAME)) {
          if (embedded != null) throw new ArchiveException(name, "appears twice");
          if (e.getSize() > MAX_MANIFEST_BYTES) throw new ArchiveException(name, "larger than " + MAX_MANIFEST_BYTES + " bytes");
          byte[] json = tar.readNBytes((int) e.getSize());
          if (json.length != e.getSize()) throw new ArchiveException(name, "truncated");
          listener.bytes(json.length);
          embedded = Manifest.parse(new String(json, StandardCharsets.UTF_8));
          continue;
        }
        EntryName.parse(name);
        if (seen.containsKey(name)) throw new ArchiveException(name, "appears twice");
        nameChars += name.length();
        if (nameChars > Manifest.MAX_NAME_CHARS) {
          throw new ArchiveException(name, "entry names longer than " + Manifest.MAX_NAME_CHARS + " characters in all (a backup set holds no more)");
        }
        if (seen.size() >= Manifest.MAX_STREAMS) {
          // a manifest lists at most this many: more can never verify, and each costs a record here
          throw new ArchiveException(name, "more entries than a backup set holds (" + Manifest.MAX_STREAMS + ")");
        }
        sha.reset();
        long size = 0;
        int n;
        while ((n = tar.read(buf)) > 0) {
          sha.update(buf, 0, n);
          size += n;
          listener.bytes(n);
        }
        if (size != e.getSize()) throw new ArchiveException(name, "truncated after " + size + " of " + e.getSize() + " bytes");
        seen.put(name, new Seen(size, HexFormat.of().formatHex(sha.digest())));
      }
    } catch (IOException io) {
      throw new ArchiveException(null, "the archive is not a complete tar (" + io.getMessage() + ")");
    }
    // the rest is read so a producer feeding this stream never blocks; it must be tar padding:
    // a device restores only the first archive of a stream, so one hidden behind it is refused here too
    try {
      BoundedTarInputStream.requireOnlyPadding(archive);
    } catch (IOException trailing) {
      throw new ArchiveException(null, trailing.getMessage());
    }
    Manifest m = expected != null ? expected : embedded;
    if (m == null) throw new ArchiveException(Manifest.FILE_NAME, "missing: the archive ends without its manifest (cut short?)");
    if (expected != null && embedded != null && !expected.equals(embedded)) {
      throw new ArchiveException(Manifest.FILE_NAME, "differs from the set's manifest.json beside the archive");
    }
    check(m, seen);
    return m;
  }

  /** Every listed stream came with its size and hash, inside its owner's area; nothing unlisted came. */
  private static void check(Manifest m, Map<String, Seen> seen) throws ArchiveException {
    Map<String, Seen> unlisted = new HashMap<>(seen);
    for (Manifest.Owner o : m.owners()) {
      for (Manifest.Volume v : o.volumes()) {
        for (Manifest.Stream s : v.streams()) {
          EntryName en = EntryName.parse(s.name());
          if (!en.owner().equals(o.id()) || !en.volume().equals(v.name())) {
            throw new ArchiveException(s.name(), "listed under owner " + o.id() + " volume " + v.name() + " but named for another");
          }
          Seen got = unlisted.remove(s.name());
          if (got == null) {
            throw new ArchiveException(s.name(), seen.containsKey(s.name()) ? "listed twice in the manifest" : "missing from the archive");
          }
          if (got.size() != s.size()) throw new ArchiveException(s.name(), "size " + got.size() + " differs from the manifest's " + s.size());
          if (!got.sha256().equals(s.sha256())) throw new ArchiveException(s.name(), "SHA-256 differs from the manifest (the bytes were changed)");
        }
      }
    }
    if (!unlisted.isEmpty()) throw new ArchiveException(unlisted.keySet().iterator().next(), "not listed in the manifest");
  }

  private record Seen(long size, String sha256) {}

  /**
   * A plain file entry: not a hard or symbolic link, device, FIFO, folder or sparse file (a PAX
   * sparse file has the plain type, and its holes would be hashed as zeros up to any size it claims).
   */
  private static boolean regular(TarArchiveEntry e) {
    byte type = e.getLinkFlag();
    return (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM) && !e.getName().endsWith("/") && !e.isSparse();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
