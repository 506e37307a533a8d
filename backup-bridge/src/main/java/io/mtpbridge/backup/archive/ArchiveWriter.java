package io.mtpbridge.backup.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a backup set as a pax tar while it is being produced. Each entry's size must be known
 * before its header, so callers hand over either a file of known size or a finished {@link Spool};
 * the manifest, which needs every size and hash, is the last entry (see README: why).
 */
public final class ArchiveWriter {
  private static final int COPY_BUFFER = 64 * 1024;

  private final TarArchiveOutputStream tar;
  private final BufferedOutputStream buffered;
  private final byte[] buffer = new byte[COPY_BUFFER];
  private final byte[][] ring = new byte[4][COPY_BUFFER];
  private final Future<?>[] pending = new Future<?>[4];
  private final ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "backup-archive-hash");
    t.setDaemon(true);
    return t;
  });
  private long bytesWritten;

  public ArchiveWriter(OutputStream out) {
    this.buffered = new BufferedOutputStream(out, COPY_BUFFER);
    this.tar = new TarArchiveOutputStream(buffered, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** Payload bytes written so far (for progress). */
  public long bytesWritten() { return bytesWritten; }

  /** Writes a finished spool as entry {@code name}. */
  public Manifest.Stream writeSpool(String name, String kind, Spool spool, long mtime) throws IOException {
    TarArchiveEntry e = entry(name, spool.size(), mtime, 0600);
    tar.putArchiveEntry(e);
    try (InputStream in = spool.openInput()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        tar.write(buffer, 0, n);
        bytesWritten += n;
      }
    }
    tar.closeArchiveEntry();
    return new Manifest.Stream(name, kind, spool.size(), spool.sha256Hex(), mtime);
  }

  /**
   * Writes {@code size} bytes from {@code source} (a file being read). When the source ends early
   * or fails the entry is padded with zeros so the tar stays well-formed, and
   * {@link SourceFailedException} says so; the caller marks the owner failed.
   */
  public Manifest.Stream writeSource(String name, String kind, long size, long mtime, int mode, InputStream source)
      throws IOException, SourceFailedException {
    tar.putArchiveEntry(entry(name, size, mtime, mode));
    MessageDigest digest = Spool.sha256();
    long left = size;
    String failure = null;
    int slot = 0;
    try {
      while (left > 0) {
        // Hashing runs on its own thread, a few chunks behind the tar writer, so reading,
        // hashing and sending overlap; a chunk is reused only after its hash is done.
        byte[] chunk = ring[slot];
        await(pending[slot]);
        int want = (int) Math.min(chunk.length, left);
        int n;
        if (failure == null) {
          try {
            n = source.read(chunk, 0, want);
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
        pending[slot] = hasher.submit(() -> digest.update(chunk, 0, len));
        tar.write(chunk, 0, n);
        bytesWritten += n;
        left -= n;
        slot = (slot + 1) % ring.length;
      }
    } finally {
      for (int i = 0; i < pending.length; i++) {
        await(pending[i]);
        pending[i] = null;
      }
    }
    tar.closeArchiveEntry();
    if (failure != null) throw new SourceFailedException(name + ": " + failure);
    return new Manifest.Stream(name, kind, size, HexFormat.of().formatHex(digest.digest()), mtime);
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
    tar.putArchiveEntry(entry(Manifest.FILE_NAME, json.length, System.currentTimeMillis(), 0644));
    tar.write(json);
    tar.closeArchiveEntry();
    hasher.shutdown();
    tar.finish();
    tar.flush();
    // The tar stream does not pass flush on to the stream it wraps; the tail would stay buffered.
    buffered.flush();
  }

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
