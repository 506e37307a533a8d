package io.mtpbridge.backup.archive;

import io.mtpbridge.backup.format.Manifest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a backup set as a pax tar while it is being produced. Each entry's size must be known
 * before its header, so callers hand over either a file of known size or a finished {@link Spool};
 * the manifest, which needs every size and hash, is the last entry (see README: why).
 *
 * <p>Headers come from Commons Compress ({@link TarArchiveOutputStream}: pax records for long or
 * non-ASCII names and big numbers); entry data does not go through it. Its output stream cuts
 * everything into 512-byte records and passes each one through several layers, which cost about
 * as much CPU as the whole USB transfer of the data. Here data goes from the read chunk straight
 * to the transport in chunks of {@link #CHUNK} bytes, followed by the zero padding to the record
 * boundary, so the archive is byte for byte what the tar stream would have written.
 */
public final class ArchiveWriter {
  private static final Logger log = LoggerFactory.getLogger(ArchiveWriter.class);
  /** Bytes read, hashed and sent at a time: large enough that per-chunk costs vanish. */
  static final int CHUNK = 256 * 1024;
  private static final int RING = 4;
  private static final int RECORD = 512;
  /** The end of a tar: two zero records (the tar stream's block size here is one record). */
  private static final int EOF_RECORDS = 2;

  private final OutputStream out;
  private final byte[][] ring = new byte[RING][CHUNK];
  private final Future<?>[] pending = new Future<?>[RING];
  private final ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "backup-archive-hash");
    t.setDaemon(true);
    return t;
  });
  private long bytesWritten;
  // Where the time goes (logged at debug by finish; the benchmark prints it): the writer's own
  // thread reading sources, writing to the transport, waiting for the hash thread; and the hash
  // thread's time hashing.
  private long readNanos;
  private long sendNanos;
  private long stallNanos;
  private final AtomicLong hashNanos = new AtomicLong();
  private final long startNanos = System.nanoTime();

  public ArchiveWriter(OutputStream out) {
    // Headers and padding are small writes; chunks of CHUNK bytes pass the buffer unchanged.
    this.out = new BufferedOutputStream(out, 64 * 1024);
  }

  /** Payload bytes written so far (for progress). */
  public long bytesWritten() { return bytesWritten; }

  /** Writes a finished spool as entry {@code name}. */
  public Manifest.Stream writeSpool(String name, String kind, Spool spool, long mtime) throws IOException {
    writeHeader(entry(name, spool.size(), mtime, 0600));
    byte[] buffer = ring[0];
    awaitAll(); // the ring's first chunk may still be hashed for the previous entry
    long left = spool.size();
    try (InputStream in = spool.openInput()) {
      while (left > 0) {
        long t0 = System.nanoTime();
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        long t1 = System.nanoTime();
        readNanos += t1 - t0;
        if (n < 0) throw new IOException("spool of " + name + " ended " + left + " bytes early");
        out.write(buffer, 0, n);
        sendNanos += System.nanoTime() - t1;
        bytesWritten += n;
        left -= n;
      }
    }
    pad(spool.size());
    return new Manifest.Stream(name, kind, spool.size(), spool.sha256Hex(), mtime);
  }

  /**
   * Writes {@code size} bytes from {@code source} (a file being read). When the source ends early
   * or fails the entry is padded with zeros so the tar stays well-formed, and
   * {@link SourceFailedException} says so; the caller marks the owner failed.
   */
  public Manifest.Stream writeSource(String name, String kind, long size, long mtime, int mode, InputStream source)
      throws IOException, SourceFailedException {
    writeHeader(entry(name, size, mtime, mode));
    long left = size;
    String failure = null;
    int slot = 0;
    String hash;
    // updated on the hash thread, ended here after awaitAll (Future.get orders the two)
    Sha256 digest = Sha256.create();
    try {
      while (left > 0) {
        // Hashing runs on its own thread, a few chunks behind the tar writer, so reading,
        // hashing and sending overlap; a chunk is reused only after its hash is done.
        byte[] chunk = ring[slot];
        long t0 = System.nanoTime();
        await(pending[slot]);
        long t1 = System.nanoTime();
        stallNanos += t1 - t0;
        int want = (int) Math.min(chunk.length, left);
        int n;
        if (failure == null) {
          try {
            n = source.read(chunk, 0, want);
            readNanos += System.nanoTime() - t1;
          } catch (IOException e) {
            failure = "read failed: " + e.getMessage();
            continue;
          }
          if (n < 0) {
            failure = "file shrank while it was being backed up";
            continue;
          }
        } else {
          java.util.Arrays.fill(chunk, 0, want, (byte) 0);
          n = want;
        }
        final int len = n;
        pending[slot] = hasher.submit(() -> {
          long h = System.nanoTime();
          digest.update(chunk, 0, len);
          hashNanos.addAndGet(System.nanoTime() - h);
        });
        long t2 = System.nanoTime();
        out.write(chunk, 0, n);
        sendNanos += System.nanoTime() - t2;
        bytesWritten += n;
        left -= n;
        slot = (slot + 1) % ring.length;
      }
      awaitAll();
      hash = digest.hexDigest();
    } finally {
      try {
        awaitAll(); // no hash task may still use the digest when it is freed
      } finally {
        digest.close();
      }
    }
    pad(size);
    if (failure != null) throw new SourceFailedException(name + ": " + failure);
    return new Manifest.Stream(name, kind, size, hash, mtime);
  }

  private void awaitAll() throws IOException {
    for (int i = 0; i < pending.length; i++) {
      await(pending[i]);
      pending[i] = null;
    }
  }

  private static void await(Future<?> f) throws IOException {
    if (f == null) return;
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while hashing");
    } catch (ExecutionException e) {
      throw new IOException("hashing failed", e.getCause());
    }
  }

  /** Stops the hashing thread; the writer cannot be used afterwards. */
  public void close() { hasher.shutdownNow(); }

  /** Writes the manifest and ends the archive. */
  public void finish(Manifest manifest) throws IOException {
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    writeHeader(entry(Manifest.FILE_NAME, json.length, System.currentTimeMillis(), 0644));
    out.write(json);
    pad(json.length);
    hasher.shutdown();
    out.write(new byte[EOF_RECORDS * RECORD]);
    out.flush();
    if (log.isDebugEnabled()) log.debug(timings());
  }

  /** Where the writing time went so far, for the log and the benchmark. */
  public String timings() {
    return String.format("archive %d MiB in %.2f s: reading sources %.2f s, sending %.2f s, waiting for SHA-256 %.2f s "
        + "(hash thread busy %.2f s); the rest is the owners (active streams spooled before their entry)",
        bytesWritten >> 20, (System.nanoTime() - startNanos) / 1e9, readNanos / 1e9, sendNanos / 1e9, stallNanos / 1e9,
        hashNanos.get() / 1e9);
  }

  /**
   * The header records of {@code e} as Commons Compress writes them (a pax extended header first
   * when the name or a number needs one), from a tar stream used for this one header only.
   */
  private void writeHeader(TarArchiveEntry e) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(2 * RECORD);
    TarArchiveOutputStream tar = new TarArchiveOutputStream(header, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    tar.putArchiveEntry(e);
    // Not closed: closing would end that tar (and check the entry's data, which goes around it).
    tar.flush();
    if (header.size() == 0 || header.size() % RECORD != 0) throw new IOException("tar header of " + e.getName() + " is " + header.size() + " bytes");
    header.writeTo(out);
  }

  /** Zeros up to the next record boundary after {@code size} data bytes. */
  private void pad(long size) throws IOException {
    int tail = (int) (size % RECORD);
    if (tail != 0) out.write(ZEROS, 0, RECORD - tail);
  }

  private static final byte[] ZEROS = new byte[RECORD];

  private static TarArchiveEntry entry(String name, long size, long mtime, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    e.setLastModifiedTime(FileTime.fromMillis(mtime));
    e.setMode(0100000 | (mode & 07777));
    return e;
  }

  /** The source of a file entry failed part-way; the entry was padded to stay well-formed. */
  public static final class SourceFailedException extends Exception {
    public SourceFailedException(String message) { super(message); }
  }
}
