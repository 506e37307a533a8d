package io.mtpbridge.backup.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Holds one stream until it is complete: the first {@link #MEMORY_LIMIT} bytes in memory (most
 * owner streams and all snapshots are small) while the staging's shared memory budget allows,
 * the rest in a staging file, counted against the staging limit. It hashes what it holds, so the SHA-256 is ready when the stream ends.
 *
 * <p>Written by one thread at a time (see {@link Sha256}: the digest may be native state, freed by
 * {@link #finish()} or {@link #delete()}).
 */
public final class Spool extends OutputStream {
  public static final int MEMORY_LIMIT = 256 * 1024;

  private final Staging staging;
  private Sha256 digest = Sha256.create();
  private byte[] memory = new byte[0];
  private int memoryUsed;
  private long memoryClaimed;
  private Path file;
  private OutputStream fileOut;
  private long size;
  private long reserved;
  private String hash;

  Spool(Staging staging) { this.staging = staging; }

  @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

  @Override public void write(byte[] b, int off, int len) throws IOException {
    if (hash != null) throw new IOException("spool already finished");
    digest.update(b, off, len);
    size += len;
    if (file == null && memoryUsed + len <= MEMORY_LIMIT && staging.claimMemory(len)) {
      memoryClaimed += len;
      if (memoryUsed + len > memory.length) memory = Arrays.copyOf(memory, Math.min(MEMORY_LIMIT, Math.max(memory.length * 2, memoryUsed + len)));
      System.arraycopy(b, off, memory, memoryUsed, len);
      memoryUsed += len;
      return;
    }
    if (file == null) {
      staging.reserve(memoryUsed);
      reserved += memoryUsed;
      file = staging.newFile("stream-");
      fileOut = Files.newOutputStream(file);
      fileOut.write(memory, 0, memoryUsed);
      memory = null;
      staging.releaseMemory(memoryClaimed);
      memoryClaimed = 0;
    }
    staging.reserve(len);
    reserved += len;
    fileOut.write(b, off, len);
  }

  public void write(ByteBuffer buf) throws IOException {
    if (buf.hasArray()) {
      write(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
      buf.position(buf.limit());
    } else {
      byte[] tmp = new byte[buf.remaining()];
      buf.get(tmp);
      write(tmp, 0, tmp.length);
    }
  }

  /** Ends the stream; the hash and size are final afterwards. */
  public void finish() throws IOException {
    if (hash != null) return;
    if (fileOut != null) fileOut.close();
    hash = digest.hexDigest(); // frees the digest's state: an archive of many entries keeps many finished spools
    digest = null;
  }

  @Override public void close() throws IOException { finish(); }

  public long size() { return size; }

  public String sha256Hex() {
    if (hash == null) throw new IllegalStateException("spool not finished");
    return hash;
  }

  public InputStream openInput() throws IOException {
    if (hash == null) throw new IllegalStateException("spool not finished");
    return file == null ? new ByteArrayInputStream(memory, 0, memoryUsed) : Files.newInputStream(file);
  }

  /** Frees the memory, the staging file and the digest of an unfinished spool. */
  public void delete() {
    if (digest != null) digest.close();
    digest = null;
    try {
      if (fileOut != null) fileOut.close();
      if (file != null) Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover spool file is removed with the staging directory
    }
    staging.release(reserved);
    reserved = 0;
    staging.releaseMemory(memoryClaimed);
    memoryClaimed = 0;
    memory = null;
    file = null;
  }
}
