package io.mtpbridge.backup.format;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader for archives that come from the other side (a host restoring, a device backing
 * up, a repository on disk someone may have edited). commons-compress reads a GNU long name, a PAX
 * extended header and a GNU sparse map whole into memory before it returns the entry they
 * describe, and keeps global PAX keys for the rest of the archive: one header claiming a gigabyte
 * would exhaust the heap of whoever reads it. Here the header bytes of one entry — everything read
 * between the end of the previous entry's data and the start of this one's — are limited to
 * {@link #MAX_HEADER_BYTES}, and the PAX keys nobody defined (which is all global headers can
 * add to without bound) to {@link #MAX_UNKNOWN_PAX_CHARS}. Backup sets never come close: their
 * longest header is a PAX path of a few hundred bytes.
 *
 * <p>A header over the limit ends the read with an {@link IOException} naming the limit, as any
 * other damage does; the data of entries is not limited here.
 */
public final class BoundedTarInputStream extends TarArchiveInputStream {
  /** Header bytes one entry may bring: its header blocks, a long name or PAX records, padding. */
  public static final int MAX_HEADER_BYTES = 256 * 1024;
  /** Characters of PAX keys and values that commons-compress does not apply but carries along. */
  public static final int MAX_UNKNOWN_PAX_CHARS = 16 * 1024;
  private static final int RECORD = 512;

  private final HeaderBudget budget;
  /** getNextEntry calls itself for long names and PAX headers: only the outermost call sets the budget. */
  private int depth;

  private BoundedTarInputStream(HeaderBudget budget) {
    // Blocks of one record: the reader stops right after the end-of-archive records instead of
    // skipping on to a 10240-byte block boundary, so whatever follows the archive (tar padding,
    // or a second archive sent in the same stream) is left for the caller to see.
    super(budget, RECORD, RECORD, StandardCharsets.UTF_8.name());
    this.budget = budget;
  }

  /** Reads the tar archive {@code in} (names in UTF-8). */
  public static BoundedTarInputStream of(InputStream in) {
    return new BoundedTarInputStream(new HeaderBudget(in));
  }

  @Override public TarArchiveEntry getNextEntry() throws IOException {
    if (depth > 0) return super.getNextEntry();
    // the rest of the current entry is data, not header: skip it before the budget starts
    if (getCurrentEntry() != null) {
      while (skip(Long.MAX_VALUE) > 0) {
        // skipped
      }
    }
    depth++;
    budget.start();
    TarArchiveEntry e;
    try {
      e = super.getNextEntry();
    } finally {
      budget.stop();
      depth--;
    }
    if (e != null) checkUnknownPaxKeys(e);
    return e;
  }

  /**
   * Reads what follows the archive's end (call after {@link #getNextEntry} returned null) to the
   * end of {@code source}, the stream this reader was made on: only zeros (tar padding) may come.
   * Anything else — a second archive sent in the same stream, garbage — is an IOException, where
   * it used to be skipped unread, so a sender never believes data was taken that was not.
   */
  public static void requireOnlyPadding(InputStream source) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = source.read(buf)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != 0) throw new IOException("data after the end of the archive (a second archive in the same stream?)");
      }
    }
  }

  private static void checkUnknownPaxKeys(TarArchiveEntry e) throws IOException {
    long chars = 0;
    for (Map.Entry<String, String> kv : e.getExtraPaxHeaders().entrySet()) {
      chars += kv.getKey().length() + kv.getValue().length();
    }
    if (chars > MAX_UNKNOWN_PAX_CHARS) {
      throw new IOException("PAX headers with " + chars + " characters of unknown keys (a backup archive has none; at most "
          + MAX_UNKNOWN_PAX_CHARS + " are read)");
    }
  }

  /** Counts what the tar reader takes from the source while a header is being read. */
  private static final class HeaderBudget extends FilterInputStream {
    private boolean counting;
    private long used;

    HeaderBudget(InputStream in) {
      super(in);
    }

    void start() {
      counting = true;
      used = 0;
    }

    void stop() {
      counting = false;
    }

    private void take(long n) throws IOException {
      if (!counting || n <= 0) return;
      used += n;
      if (used > MAX_HEADER_BYTES) {
        throw new IOException("a tar header longer than " + MAX_HEADER_BYTES + " bytes (a long name, PAX or sparse header): "
            + "not an archive of this program, or a hostile one");
      }
    }

    @Override public int read() throws IOException {
      int b = super.read();
      if (b >= 0) take(1);
      return b;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      take(n);
      return n;
    }

    @Override public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      take(skipped);
      return skipped;
    }
  }
}
