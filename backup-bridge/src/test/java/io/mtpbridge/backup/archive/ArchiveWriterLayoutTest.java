package io.mtpbridge.backup.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer sends entry data around Commons Compress's tar stream (only headers come from it):
 * the bytes must still be exactly what that stream writes, for names that need pax records, for
 * sizes that are and are not whole records, and across several of the writer's chunks.
 */
class ArchiveWriterLayoutTest {
  @TempDir Path tmp;

  private static final String LONG = "owners/o.b/internal/files/" + "deep/".repeat(30) + "länger-name-ü.bin";
  private static final String SHORT = "owners/o.a/internal/active.base";

  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed + (i >> 9));
    return b;
  }

  @Test void sameBytesAsTheTarStreamAndReadableBack() throws Exception {
    byte[] spooled = pattern(3 * ArchiveWriter.CHUNK + 777, 1);   // several chunks, odd tail
    byte[] file = pattern(2 * ArchiveWriter.CHUNK, 7);             // whole records, no padding
    byte[] tiny = pattern(1, 9);

    Staging staging = new Staging(tmp, 1 << 30);
    Spool spool = staging.newSpool();
    spool.write(spooled, 0, spooled.length);
    spool.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveWriter w = new ArchiveWriter(out);
    Manifest.Stream a = w.writeSpool(SHORT, EntryName.ACTIVE_BASE, spool, 1_000_000);
    Manifest.Stream b = w.writeSource(LONG, EntryName.FILE, file.length, 2_000_000, 0640, new ByteArrayInputStream(file));
    Manifest.Stream c = w.writeSource("owners/o.b/internal/files/t", EntryName.FILE, 1, 3_000_000, 0600, new ByteArrayInputStream(tiny));
    w.finish(new Manifest(1, "set-1", null, "dev", "now", "backup-full", "base", List.of()));
    w.close();
    spool.delete();
    byte[] archive = out.toByteArray();

    assertEquals(sha256(spooled), a.sha256());
    assertEquals(sha256(file), b.sha256());
    assertEquals(sha256(tiny), c.sha256());

    // Reference: the same three entries written through Commons Compress's own stream.
    ByteArrayOutputStream ref = new ByteArrayOutputStream();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(ref, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    put(tar, SHORT, spooled, 1_000_000, 0600);
    put(tar, LONG, file, 2_000_000, 0640);
    put(tar, "owners/o.b/internal/files/t", tiny, 3_000_000, 0600);
    tar.flush();
    byte[] expected = ref.toByteArray();
    assertArrayEquals(expected, Arrays.copyOf(archive, expected.length), "entries byte for byte as the tar stream writes them");
    assertEquals(0, archive.length % 512);
    assertArrayEquals(new byte[1024], Arrays.copyOfRange(archive, archive.length - 1024, archive.length), "two zero records end the tar");

    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8.name())) {
      assertEntry(in, SHORT, spooled);
      assertEntry(in, LONG, file);
      assertEntry(in, "owners/o.b/internal/files/t", tiny);
      assertEquals(Manifest.FILE_NAME, in.getNextEntry().getName());
      assertNull(in.getNextEntry());
    }
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] data, long mtime, int mode) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setLastModifiedTime(FileTime.fromMillis(mtime));
    e.setMode(0100000 | mode);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static void assertEntry(TarArchiveInputStream in, String name, byte[] data) throws Exception {
    TarArchiveEntry e = in.getNextEntry();
    assertEquals(name, e.getName());
    assertArrayEquals(data, in.readAllBytes());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
