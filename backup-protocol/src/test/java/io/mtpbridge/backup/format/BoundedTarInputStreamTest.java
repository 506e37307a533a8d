package io.mtpbridge.backup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Headers that claim more than any backup set needs end the read after the limit, before the
 * tar library has buffered them: each hostile archive here is generated as it is read (a gigabyte
 * of long name is never in memory on either side), and the test counts what was taken from it.
 * Before the limit, each of these was read whole into the heap.
 */
class BoundedTarInputStreamTest {
  private static final long GIB = 1L << 30;

  @Test void aGigabyteGnuLongNameIsRefusedAfterTheLimit() {
    Source src = new Source(header("././@LongLink", 'L', GIB), new byte[0], 'a', GIB);
    IOException e = assertThrows(IOException.class, () -> BoundedTarInputStream.of(src).getNextEntry());
    assertTrue(e.getMessage().contains("tar header longer than"), e.getMessage());
    assertTrue(src.served < 2 * BoundedTarInputStream.MAX_HEADER_BYTES, "read " + src.served + " bytes of the header");
  }

  @Test void theVerifierRefusesSuchAnArchiveAsIncomplete() {
    // the PC side reads a device's archive through ArchiveVerifier: a hostile device gets a refusal
    Source src = new Source(header("././@LongLink", 'L', GIB), new byte[0], 'a', GIB);
    ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveVerifier.verify(src));
    assertTrue(e.getMessage().contains("tar header longer than"), e.getMessage());
    assertTrue(src.served < 2 * BoundedTarInputStream.MAX_HEADER_BYTES, "read " + src.served + " bytes of the header");
  }

  @Test void aGigabyteGnuLongLinkNameIsRefusedAfterTheLimit() {
    Source src = new Source(header("././@LongLink", 'K', GIB), new byte[0], 'b', GIB);
    assertThrows(IOException.class, () -> BoundedTarInputStream.of(src).getNextEntry());
    assertTrue(src.served < 2 * BoundedTarInputStream.MAX_HEADER_BYTES, "read " + src.served + " bytes of the header");
  }

  @Test void aGigabytePaxRecordIsRefusedAfterTheLimit() {
    byte[] record = ("1073741000 path=").getBytes(StandardCharsets.US_ASCII);
    Source src = new Source(header("PaxHeaders/x", 'x', GIB), record, 'c', GIB);
    assertThrows(IOException.class, () -> BoundedTarInputStream.of(src).getNextEntry());
    assertTrue(src.served < 2 * BoundedTarInputStream.MAX_HEADER_BYTES, "read " + src.served + " bytes of the header");
  }

  @Test void aGnuSparseMapOfAHundredMillionEntriesIsRefusedAfterTheLimit() throws IOException {
    // PAX format 1.0 sparse file: the map is at the start of the entry's data, read before the entry is returned
    ByteArrayOutputStream pax = new ByteArrayOutputStream();
    pax.write(paxRecord("GNU.sparse.major", "1"));
    pax.write(paxRecord("GNU.sparse.minor", "0"));
    pax.write(paxRecord("GNU.sparse.name", "sparse.bin"));
    pax.write(paxRecord("GNU.sparse.realsize", "1000"));
    ByteArrayOutputStream start = new ByteArrayOutputStream();
    start.write(header("PaxHeaders/sparse", 'x', pax.size()));
    start.write(padded(pax.toByteArray()));
    start.write(header("sparse.bin", '0', 4L * 100_000_000 + 10));
    start.write("100000000\n".getBytes(StandardCharsets.US_ASCII));
    Source src = new Source(start.toByteArray(), new byte[0], '0', 4L * 100_000_000) {
      @Override byte patternAt(long i) {
        return (byte) (i % 2 == 0 ? '0' : '\n');
      }
    };
    assertThrows(IOException.class, () -> BoundedTarInputStream.of(src).getNextEntry());
    assertTrue(src.served < 2 * BoundedTarInputStream.MAX_HEADER_BYTES, "read " + src.served + " bytes of the sparse map");
  }

  @Test void globalPaxKeysThatPileUpAreRefused() throws IOException {
    // each global header alone is small; together they would grow the reader's map without end
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (int i = 0; i < 64; i++) {
      byte[] g = paxRecord("junk." + i, "v".repeat(1000));
      tar.write(header("GlobalHead", 'g', g.length));
      tar.write(padded(g));
      tar.write(header("f" + i, '0', 1));
      tar.write(padded(new byte[] {'x'}));
    }
    tar.write(new byte[1024]);
    BoundedTarInputStream in = BoundedTarInputStream.of(new ByteArrayInputStream(tar.toByteArray()));
    IOException e = assertThrows(IOException.class, () -> {
      while (in.getNextEntry() != null) {
        // reading on
      }
    });
    assertTrue(e.getMessage().contains("unknown keys"), e.getMessage());
  }

  @Test void archivesWithLongNamesBigEntriesAndPartlyReadDataStillRead() throws IOException {
    String longName = "owners/o.a/internal/files/" + "ordner-ü/".repeat(40) + "bild.jpg";
    byte[] big = new byte[3 * BoundedTarInputStream.MAX_HEADER_BYTES + 17];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
        tar.setLongFileMode(mode);
        tar.setAddPaxHeadersForNonAsciiNames(mode == TarArchiveOutputStream.LONGFILE_POSIX);
        put(tar, "first.bin", big);
        put(tar, longName, "small".getBytes(StandardCharsets.UTF_8));
        put(tar, "last.bin", big);
      }
      BoundedTarInputStream in = BoundedTarInputStream.of(new ByteArrayInputStream(out.toByteArray()));
      List<String> names = new ArrayList<>();
      TarArchiveEntry e = in.getNextEntry();
      names.add(e.getName());
      assertEquals(100, in.readNBytes(100).length); // most of the first entry is left unread
      names.add(in.getNextEntry().getName());
      assertArrayEquals("small".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
      names.add(in.getNextEntry().getName());
      assertArrayEquals(big, in.readAllBytes());
      assertNull(in.getNextEntry());
      assertEquals(List.of("first.bin", longName, "last.bin"), names, "long-file mode " + mode);
    }
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /** One PAX record, "LEN key=value\n", whose LEN counts itself. */
  static byte[] paxRecord(String key, String value) {
    return io.mtpbridge.backup.format.fixtures.TarBlocks.paxRecord(key, value);
  }

  static byte[] padded(byte[] data) {
    return io.mtpbridge.backup.format.fixtures.TarBlocks.padded(data);
  }

  /** A ustar header block with a correct checksum. */
  static byte[] header(String name, char type, long size) {
    return io.mtpbridge.backup.format.fixtures.TarBlocks.header(name, type, size);
  }

  /** head, then prefix, then {@code patternLength} pattern bytes, then zeros: made as it is read. */
  private static class Source extends InputStream {
    private final byte[] head;
    private final byte[] prefix;
    private final byte pattern;
    private final long patternLength;
    long served;

    Source(byte[] head, byte[] prefix, char pattern, long patternLength) {
      this.head = head;
      this.prefix = prefix;
      this.pattern = (byte) pattern;
      this.patternLength = patternLength;
    }

    byte patternAt(long i) {
      return pattern;
    }

    @Override public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) {
      long total = head.length + prefix.length + patternLength + 10240;
      if (served >= total) return -1;
      int n = (int) Math.min(len, total - served);
      for (int i = 0; i < n; i++) {
        long p = served + i;
        byte v;
        if (p < head.length) v = head[(int) p];
        else if (p < head.length + prefix.length) v = prefix[(int) (p - head.length)];
        else if (p < head.length + prefix.length + patternLength) v = patternAt(p - head.length - prefix.length);
        else v = 0;
        b[off + i] = v;
      }
      served += n;
      return n;
    }
  }
}
