package io.mtpbridge.core.storage.fs;

import io.mtpbridge.core.storage.ObjectEditor;
import io.mtpbridge.core.storage.ObjectMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** In-place edits of a file (Android partial writes), as Android's own responder does them. */
final class FileEditor implements ObjectEditor {
  private final Path file;
  private final String name;
  private final FileChannel channel;

  FileEditor(Path file, String name) throws IOException {
    this.file = file;
    this.name = name;
    this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
  }

  @Override
  public void write(long offset, ByteBuffer src) throws IOException {
    long pos = offset;
    try {
      while (src.hasRemaining()) pos += channel.write(src, pos);
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "writing " + name, file, src.remaining());
    }
  }

  @Override
  public void truncate(long size) throws IOException {
    try {
      long now = channel.size();
      if (size < now) {
        channel.truncate(size);
      } else if (size > now) {
        channel.write(ByteBuffer.wrap(new byte[1]), size - 1); // zero-extends (sparse where possible)
      }
    } catch (IOException e) {
      throw FileSystemStorage.translate(e, "truncating " + name, file, 0);
    }
  }

  @Override public long size() throws IOException { return channel.size(); }

  @Override
  public ObjectMetadata commit() throws IOException {
    channel.force(true);
    return FileSystemStorage.metadataOf(name, file);
  }

  @Override public void close() throws IOException { channel.close(); }
}
