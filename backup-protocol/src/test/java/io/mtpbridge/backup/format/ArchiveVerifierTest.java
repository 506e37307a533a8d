package io.mtpbridge.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class ArchiveVerifierTest {
  private static final String A = "owners/org.example.notes/internal/files/a.txt";
  private static final String B = "owners/org.example.journal/internal/active.base";

  static Map<String, byte[]> streams() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(A, "hello notes".getBytes(StandardCharsets.UTF_8));
    byte[] big = new byte[70_000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    m.put(B, big);
    return m;
  }

  static Manifest manifest(Map<String, byte[]> streams) throws Exception {
    List<Manifest.Owner> owners = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : streams.entrySet()) {
      EntryName n = EntryName.parse(e.getKey());
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue()));
      owners.add(new Manifest.Owner(n.owner(), n.kind().equals(EntryName.FILE) ? "passive" : "active", "ok", "",
          List.of(new Manifest.Volume(n.volume(), List.of(new Manifest.Stream(e.getKey(), n.kind(), e.getValue().length, sha, 0))))));
    }
    return new Manifest(Manifest.FORMAT, "set-1", null, "Demo", "2024-01-01T00:00:00Z", "backup-full", "base", owners);
  }

  static byte[] tar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry t = new TarArchiveEntry(e.getKey(), true);
        t.setSize(e.getValue().length);
        tar.putArchiveEntry(t);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] archive() throws Exception {
    Map<String, byte[]> all = new LinkedHashMap<>(streams());
    all.put(Manifest.FILE_NAME, manifest(streams()).toJson().getBytes(StandardCharsets.UTF_8));
    return tar(all);
  }

  private static String failure(byte[] archive, Manifest expected) {
    return assertThrows(ArchiveException.class,
        () -> ArchiveVerifier.verify(new ByteArrayInputStream(archive), expected, new ArchiveVerifier.Listener() {})).getMessage();
  }

  @Test void aGoodArchiveGivesItsManifest() throws Exception {
    long[] bytes = {0};
    Manifest m = ArchiveVerifier.verify(new ByteArrayInputStream(archive()), null, new ArchiveVerifier.Listener() {
      @Override public void bytes(long n) { bytes[0] += n; }
    });
    assertEquals(manifest(streams()), m);
    assertTrue(bytes[0] > 70_000);
    assertEquals(m, ArchiveVerifier.verify(new ByteArrayInputStream(archive()), manifest(streams()), new ArchiveVerifier.Listener() {}));
  }

  @Test void oneFlippedByteNamesItsStream() throws Exception {
    byte[] a = archive();
    int at = indexOf(a, streams().get(B)) + 40_000;
    a[at] ^= 1;
    String why = failure(a, null);
    assertTrue(why.contains(B) && why.contains("SHA-256 differs"), why);
  }

  @Test void missingManifestOrStreamOrUnlistedEntryOrMismatchIsRefused() throws Exception {
    assertTrue(failure(tar(streams()), null).contains("missing: the archive ends without its manifest"));
    Map<String, byte[]> fewer = new LinkedHashMap<>(streams());
    fewer.remove(A);
    fewer.put(Manifest.FILE_NAME, manifest(streams()).toJson().getBytes(StandardCharsets.UTF_8));
    assertTrue(failure(tar(fewer), null).contains(A + ": missing from the archive"));
    Map<String, byte[]> more = new LinkedHashMap<>(streams());
    more.put("owners/org.example.notes/internal/files/extra", new byte[3]);
    more.put(Manifest.FILE_NAME, manifest(streams()).toJson().getBytes(StandardCharsets.UTF_8));
    assertTrue(failure(tar(more), null).contains("extra: not listed in the manifest"));
    Map<String, byte[]> escape = new LinkedHashMap<>(streams());
    escape.put("owners/org.example.notes/internal/files/../../../etc/passwd", new byte[3]);
    assertTrue(failure(tar(escape), null).contains("'..'"));
    Manifest other = new Manifest(Manifest.FORMAT, "set-2", null, "Demo", "2024", "backup-full", "base", manifest(streams()).owners());
    assertTrue(failure(archive(), other).contains("differs from the set's manifest.json"));
  }

  /**
   * A hand-made or damaged archive whose manifest lists a link or device entry (size 0, the empty
   * SHA-256) verified before: commons-compress's isFile() is true for every type but a folder.
   * verify said the set was sound and restore sent it to the device.
   */
  @Test void linksDevicesAndFifosAreRefusedEvenWhenListed() throws Exception {
    String name = "owners/org.example.notes/internal/files/shadow";
    for (byte type : new byte[] {TarConstants.LF_LINK, TarConstants.LF_SYMLINK, TarConstants.LF_CHR, TarConstants.LF_BLK,
        TarConstants.LF_FIFO, TarConstants.LF_CONTIG}) {
      Map<String, byte[]> listed = new LinkedHashMap<>(streams());
      listed.put(name, new byte[0]);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
        TarArchiveEntry link = new TarArchiveEntry(name, type);
        if (type == TarConstants.LF_LINK || type == TarConstants.LF_SYMLINK) link.setLinkName("/etc/shadow");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
        for (Map.Entry<String, byte[]> e : streams().entrySet()) {
          TarArchiveEntry t = new TarArchiveEntry(e.getKey(), true);
          t.setSize(e.getValue().length);
          tar.putArchiveEntry(t);
          tar.write(e.getValue());
          tar.closeArchiveEntry();
        }
        byte[] json = manifest(listed).toJson().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry m = new TarArchiveEntry(Manifest.FILE_NAME, true);
        m.setSize(json.length);
        tar.putArchiveEntry(m);
        tar.write(json);
        tar.closeArchiveEntry();
      }
      String why = failure(out.toByteArray(), null);
      assertTrue(why.contains(name) && why.contains("not a regular file"), "type " + (char) type + ": " + why);
    }
  }

  /** An archive of endless tiny entries (a hostile device's backup) ends at the manifest's limit, not when the heap is full. */
  @Test void endlessEntriesEndAtTheLimit() throws Exception {
    String why = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> assertThrows(ArchiveException.class, () -> ArchiveVerifier.verify(new EndlessTar(), null, new ArchiveVerifier.Listener() {}))
            .getMessage());
    assertTrue(why.contains("more entries than a backup set holds"), why);
  }

  /** A tar of empty entries f0, f1, ... that never ends, made as it is read. */
  private static final class EndlessTar extends java.io.InputStream {
    private final ByteArrayOutputStream made = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(made, StandardCharsets.UTF_8.name());
    private byte[] chunk = new byte[0];
    private int at;
    private long next;

    @Override public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      while (at == chunk.length) {
        for (int i = 0; i < 100; i++) {
          tar.putArchiveEntry(new TarArchiveEntry("owners/org.example.notes/internal/files/f" + next++, true));
          tar.closeArchiveEntry();
        }
        chunk = made.toByteArray();
        made.reset();
        at = 0;
      }
      int n = Math.min(len, chunk.length - at);
      System.arraycopy(chunk, at, b, off, n);
      at += n;
      return n;
    }
  }

  /**
   * A PAX sparse entry has the plain file type; its holes are read as zeros up to the size it
   * claims (commons-compress takes up to 2 GiB). One of a gigabyte was hashed as a gigabyte of
   * zeros by `mtpbridge verify` and a backup's check before; now it is refused as not a regular file.
   */
  @Test void aPaxSparseEntryIsRefusedNotExpanded() throws Exception {
    String name = "owners/org.example.notes/internal/files/holes";
    ByteArrayOutputStream pax = new ByteArrayOutputStream();
    // PAX format 1.0: the map (one block: offset 2^30 - 1, one byte) starts the entry's data
    pax.write(BoundedTarInputStreamTest.paxRecord("GNU.sparse.major", "1"));
    pax.write(BoundedTarInputStreamTest.paxRecord("GNU.sparse.minor", "0"));
    pax.write(BoundedTarInputStreamTest.paxRecord("GNU.sparse.name", name));
    pax.write(BoundedTarInputStreamTest.paxRecord("GNU.sparse.realsize", Long.toString(1L << 30)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(BoundedTarInputStreamTest.header("PaxHeaders/holes", 'x', pax.size()));
    out.write(BoundedTarInputStreamTest.padded(pax.toByteArray()));
    out.write(BoundedTarInputStreamTest.header("holes", '0', 512 + 1));
    out.write(BoundedTarInputStreamTest.padded(("1\n" + ((1L << 30) - 1) + "\n1\n").getBytes(StandardCharsets.US_ASCII)));
    out.write(BoundedTarInputStreamTest.padded(new byte[] {'x'}));
    out.write(archive());
    String why = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> failure(out.toByteArray(), null));
    assertTrue(why.contains(name) && why.contains("not a regular file"), why);
  }

  /**
   * Two archives in one stream: a device restores the first and used to drop the second unread,
   * so verify must not call such a stored archive sound. Zeros after the end (tar padding) are fine.
   */
  @Test void dataAfterTheEndIsRefusedPaddingIsNot() throws Exception {
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.write(archive());
    two.write(archive());
    assertTrue(failure(two.toByteArray(), null).contains("data after the end of the archive"));
    ByteArrayOutputStream padded = new ByteArrayOutputStream();
    padded.write(archive());
    padded.write(new byte[20_480]);
    assertEquals(manifest(streams()), ArchiveVerifier.verify(new ByteArrayInputStream(padded.toByteArray())));
  }

  /**
   * Empty entries with 4000-character names, by the thousand: each name was kept until the end
   * (200 MB at the entry limit, a heap's worth); now they end at the names' limit.
   */
  @Test void longNamesByTheThousandEndAtTheNameLimit() {
    String why = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> assertThrows(ArchiveException.class, () -> ArchiveVerifier.verify(new io.mtpbridge.backup.format.fixtures.LongNames(), null, new ArchiveVerifier.Listener() {}))
            .getMessage());
    assertTrue(why.contains("names longer than"), why);
  }

  @Test void aTruncatedArchiveIsRefused() throws Exception {
    byte[] a = archive();
    for (int cut : new int[] {0, 100, 512, 40_000, a.length - 11_000}) {
      byte[] part = java.util.Arrays.copyOf(a, cut);
      failure(part, null);
    }
  }

  /**
   * The repository's case: the PC tool keeps the set's manifest.json beside its archive and verifies
   * the archive against it (verify, restore). Then a byte changed anywhere, in a stream, a tar
   * header or the archive's own copy of the manifest, is refused or changed nothing that counts.
   */
  @Property(tries = 200)
  void anyCorruptionEndsInArchiveExceptionOrTheSameManifest(@ForAll @IntRange(min = 0, max = 200_000) int position,
                                                           @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
    byte[] a = archive();
    a[position % a.length] ^= (byte) xor;
    Manifest expected = manifest(streams());
    try {
      Manifest m = ArchiveVerifier.verify(new ByteArrayInputStream(a), expected, new ArchiveVerifier.Listener() {});
      assertEquals(expected, m, "only padding or header slack may change unnoticed");
    } catch (ArchiveException expectedRefusal) {
      // named refusal
    }
  }

  /**
   * An archive alone (its own manifest.json is all there is): every stream's bytes, name, size and
   * hash are still checked, so no changed data passes. The manifest's descriptive text (the device's
   * name, the creation time, the mode) has no check of its own inside the archive: a changed byte
   * there can pass (jqwik found "Demo" → "Eemo", "backup-full" → "bVckup-full"), which is why the
   * PC tool keeps and compares the second copy beside the archive (the property above).
   */
  @Property(tries = 200)
  void anArchiveAloneNeverPassesChangedStreams(@ForAll @IntRange(min = 0, max = 200_000) int position,
                                              @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
    byte[] a = archive();
    a[position % a.length] ^= (byte) xor;
    try {
      Manifest m = ArchiveVerifier.verify(new ByteArrayInputStream(a));
      assertEquals(manifest(streams()).allStreams(), m.allStreams(), "a changed stream passed");
    } catch (ArchiveException expected) {
      // named refusal
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < 64; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }
}
