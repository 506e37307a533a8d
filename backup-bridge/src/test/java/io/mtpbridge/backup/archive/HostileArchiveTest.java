package io.mtpbridge.backup.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.format.fixtures.LongNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives a hostile host sends to WriteRestoreArchive, read by the device's {@link ArchiveReader}:
 * each is refused as a whole (ArchiveException, answered ArchiveInvalid), holds no staging space
 * afterwards, and costs no more heap or disk than its limits allow.
 */
class HostileArchiveTest {
  @TempDir Path tmp;

  private Staging staging(long limit) throws IOException {
    return new Staging(tmp.resolve("staging-" + System.nanoTime()), limit);
  }

  /** The sample set with {@code extra} (raw tar records) put in before its first entry. */
  private static byte[] withLeadingRecords(byte[] extra, Staging s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(extra);
    out.write(ArchiveRoundTripTest.sample(s));
    return out.toByteArray();
  }

  private static String refusal(byte[] tar, Staging s) {
    ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveReader.read(new ByteArrayInputStream(tar), s));
    assertEquals(0, s.used(), "staging freed");
    assertEquals(0, s.memoryInUse(), "spool memory freed");
    return e.getMessage();
  }

  /** Links, `..`, names outside owners/, a name twice: refused (these held before this test, it keeps them). */
  @Test void linksEscapesAndDuplicatesAreRefused() throws Exception {
    Staging s = staging(1 << 30);
    for (byte type : new byte[] {TarConstants.LF_LINK, TarConstants.LF_SYMLINK}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
      TarArchiveEntry link = new TarArchiveEntry("owners/o.b/internal/files/x/y.txt", type);
      link.setLinkName("/etc/shadow");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      tar.flush();
      assertTrue(refusal(withLeadingRecords(out.toByteArray(), s), s).contains("only regular files"));
    }
    for (String name : new String[] {"owners/o.b/internal/files/../../../etc/passwd", "/etc/passwd", "owners/o.b/internal/files/a\u0000b"}) {
      refusal(withLeadingRecords(entry(name, new byte[0]), s), s);
    }
    assertTrue(refusal(withLeadingRecords(entry("owners/o.b/internal/files/x/y.txt", "evil!".getBytes(StandardCharsets.UTF_8)), s), s)
        .contains("given twice"));
  }

  /**
   * A FIFO, a device or a contiguous file listed in the manifest (size 0, the empty SHA-256) was
   * taken as a regular file before: commons-compress's isFile() is true for them all.
   */
  @Test void fifosAndDevicesAreRefusedEvenWhenListed() throws Exception {
    Staging s = staging(1 << 30);
    for (byte type : new byte[] {TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_CONTIG}) {
      // the sample set with its passive file turned into a special entry of the same name, listed with 0 bytes
      byte[] special = retype(ArchiveRoundTripTest.sample(s), "owners/o.b/internal/files/x/y.txt", type);
      assertTrue(refusal(special, s).contains("only regular files"), "type " + (char) type);
    }
  }

  /** An old GNU sparse entry claiming 8 GiB: it used to be spooled as zeros until staging was full (StoreFull). */
  @Test void aSparseEntryIsRefusedBeforeItsHolesAreSpooled() throws Exception {
    Staging s = staging(64L << 20);
    byte[] h = header("owners/o.b/internal/files/holes", 'S', 1);
    putOctal(h, 386, 077777777776L, 12); // first sparse block: offset
    putOctal(h, 398, 1, 12); // its length
    putOctal(h, 483, 077777777777L, 12); // real size: 8 GiB
    checksum(h);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(h);
    out.write(padded(new byte[] {'x'}));
    assertTrue(refusal(withLeadingRecords(out.toByteArray(), s), s).contains("only regular files"));
  }

  /** Two archives in one transfer: the second was skipped unread and the transfer answered OK. */
  @Test void aSecondArchiveInTheSameStreamIsRefusedPaddingIsNot() throws Exception {
    Staging s = staging(1 << 30);
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.write(ArchiveRoundTripTest.sample(s));
    two.write(ArchiveRoundTripTest.sample(s));
    assertTrue(refusal(two.toByteArray(), s).contains("data after the end of the archive"));
    ByteArrayOutputStream padded = new ByteArrayOutputStream();
    padded.write(ArchiveRoundTripTest.sample(s));
    padded.write(new byte[10_240 * 3]);
    try (VerifiedArchive v = ArchiveReader.read(new ByteArrayInputStream(padded.toByteArray()), s)) {
      assertEquals("set-1", v.manifest().setId());
    }
  }

  /**
   * Empty entries with 4000-character names, without end: every name was kept until the manifest,
   * so 50,000 of them (260 MB sent) held 200 MB and ended mtpd (-Xmx64m) with OutOfMemoryError.
   * Now the read stops once the names pass {@link Manifest#MAX_NAME_CHARS}.
   */
  @Test void longNamesByTheThousandStopAtTheNamesLimit() throws Exception {
    Staging s = staging(1 << 30);
    LongNames src = new LongNames();
    String why = assertThrows(ArchiveException.class, () -> ArchiveReader.read(src, s)).getMessage();
    assertTrue(why.contains("names longer than"), why.substring(Math.max(0, why.length() - 200)));
    assertTrue(src.served() < 2L * Manifest.MAX_NAME_CHARS, "read " + src.served() + " bytes before stopping");
    assertEquals(0, s.memoryInUse());
  }

  // ---- tar by hand ------------------------------------------------------------------------------

  private static byte[] entry(String name, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] pax = paxRecord("path", name);
    out.write(header("PaxHeaders/e", 'x', pax.length));
    out.write(padded(pax));
    out.write(header("e", '0', data.length));
    out.write(padded(data));
    return out.toByteArray();
  }

  /** {@code tar} with entry {@code name} made a {@code type} entry of no data (its manifest record set to 0 bytes). */
  private static byte[] retype(byte[] tar, String name, byte type) throws Exception {
    byte[] renamedEmpty = ArchiveSurgery.rewrite(tar, n -> n, java.util.Map.of(name, new byte[0]), null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(renamedEmpty), StandardCharsets.UTF_8.name());
         TarArchiveOutputStream t = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        byte[] data = in.readAllBytes();
        TarArchiveEntry copy = e.getName().equals(name) ? new TarArchiveEntry(name, type) : new TarArchiveEntry(e.getName(), true);
        if (!e.getName().equals(name)) copy.setSize(data.length);
        t.putArchiveEntry(copy);
        if (!e.getName().equals(name)) t.write(data);
        t.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.getBytes(StandardCharsets.UTF_8).length;
    int total = len + Integer.toString(len).length();
    if (Integer.toString(total).length() != Integer.toString(len).length()) total++;
    return (total + body).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] padded(byte[] data) {
    byte[] out = new byte[(data.length + 511) / 512 * 512];
    System.arraycopy(data, 0, out, 0, data.length);
    return out;
  }

  static byte[] header(String name, char type, long size) {
    byte[] h = new byte[512];
    put(h, 0, name.length() > 100 ? name.substring(0, 100) : name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "00000000000");
    h[156] = (byte) type;
    if (type != 'S') {
      put(h, 257, "ustar");
      put(h, 263, "00");
    } else {
      put(h, 257, "ustar  "); // the old GNU magic, where sparse maps live in the header
    }
    checksum(h);
    return h;
  }

  private static void putOctal(byte[] h, int offset, long value, int length) {
    put(h, offset, String.format("%0" + (length - 1) + "o", value));
  }

  private static void checksum(byte[] h) {
    for (int i = 148; i < 156; i++) h[i] = ' ';
    int sum = 0;
    for (byte b : h) sum += b & 0xff;
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
  }

  private static void put(byte[] h, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, b.length);
  }
}
