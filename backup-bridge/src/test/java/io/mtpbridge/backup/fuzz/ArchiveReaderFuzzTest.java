package io.mtpbridge.backup.fuzz;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.ArchiveWriter;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.archive.Spool;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The archive reader on damaged input: it either refuses with an ArchiveException (and frees its
 * staging) or returns streams that match the manifest's hashes; it never throws anything else.
 */
class ArchiveReaderFuzzTest {
  private static final byte[] VALID = build();
  private static final Path STAGING_DIR;

  static {
    try {
      STAGING_DIR = Files.createTempDirectory("archive-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] build() {
    try {
      Staging st = new Staging(Files.createTempDirectory("archive-fuzz-src"), 1 << 24);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ArchiveWriter w = new ArchiveWriter(out);
      byte[] a = "active owner payload ".repeat(40).getBytes(StandardCharsets.UTF_8);
      Spool s = st.newSpool();
      s.write(a, 0, a.length);
      s.finish();
      Manifest.Stream sa = w.writeSpool("owners/o.a/internal/active.base", EntryName.ACTIVE_BASE, s, 1);
      byte[] f = "file".getBytes(StandardCharsets.UTF_8);
      Manifest.Stream sf = w.writeSource("owners/o.p/internal/files/d/f.txt", EntryName.FILE, f.length, 2, 0644, new ByteArrayInputStream(f));
      w.finish(new Manifest(1, "s", null, "d", "t", "backup-full", "base", List.of(
          new Manifest.Owner("o.a", "active", "ok", null, List.of(new Manifest.Volume("internal", List.of(sa)))),
          new Manifest.Owner("o.p", "passive", "ok", null, List.of(new Manifest.Volume("internal", List.of(sf)))))));
      s.delete();
      return out.toByteArray();
    } catch (IOException | ArchiveWriter.SourceFailedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(byte[] tar) throws Exception {
    Staging staging = new Staging(STAGING_DIR, 1 << 22);
    try (VerifiedArchive v = ArchiveReader.read(new ByteArrayInputStream(tar), staging)) {
      for (Manifest.Stream s : v.manifest().allStreams()) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = v.stream(s.name()).openInput()) {
          d.update(in.readAllBytes());
        }
        if (!HexFormat.of().formatHex(d.digest()).equals(s.sha256())) throw new AssertionError("accepted a stream that does not match " + s.name());
      }
    } catch (ArchiveException | Staging.StagingFullException refused) {
      // refused, as it should be for most damage
    }
    if (staging.used() != 0) throw new AssertionError("staging not freed: " + staging.used());
  }

  @Property(tries = 300)
  void flippedBytes(@ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
    byte[] t = VALID.clone();
    t[position % t.length] ^= (byte) xor;
    check(t);
  }

  @Property(tries = 200)
  void truncated(@ForAll @IntRange(min = 0, max = 100_000) int length) throws Exception {
    check(java.util.Arrays.copyOf(VALID, length % (VALID.length + 1)));
  }

  @Property(tries = 200)
  void arbitraryBytes(@ForAll byte[] junk) throws Exception {
    check(junk);
  }
}
