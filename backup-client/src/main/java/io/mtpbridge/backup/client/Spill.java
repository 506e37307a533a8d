package io.mtpbridge.backup.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes kept until they are needed: in memory while small, then in a temporary file (readable by
 * this user only) in a folder the owner chose. Never holds a large stream in memory.
 */
final class Spill extends OutputStream {
  private static final int IN_MEMORY = 64 * 1024;

  private final Path folder;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private Path file;
  private OutputStream fileOut;
  private long size;
  private boolean closed;

  Spill(Path folder) { this.folder = folder; }

  long size() { return size; }

  @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

  @Override public void write(byte[] b, int off, int len) throws IOException {
    if (closed) throw new IOException("spill already closed");
    if (fileOut == null && memory.size() + len > IN_MEMORY) {
      Files.createDirectories(folder);
      file = Files.createTempFile(folder, ".backup-", ".spill");
      fileOut = Files.newOutputStream(file);
      memory.writeTo(fileOut);
      memory = null;
    }
    if (fileOut != null) fileOut.write(b, off, len);
    else memory.write(b, off, len);
    size += len;
  }

  @Override public void close() throws IOException {
    if (closed) return;
    closed = true;
    if (fileOut != null) fileOut.close();
  }

  /** Everything written, from the start (close first). */
  InputStream open() throws IOException {
    if (!closed) throw new IOException("spill still being written");
    if (file != null) return Files.newInputStream(file);
    return new ByteArrayInputStream(memory == null ? new byte[0] : memory.toByteArray());
  }

  void delete() {
    try {
      close();
      if (file != null) Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file left behind in the owner's spool folder at worst
    }
    memory = null;
  }
}
