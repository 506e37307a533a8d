package io.mtpbridge.backup.client.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking socket channel that can be read and written from two threads at once.
 * The JDK's {@code Channels.newInputStream/newOutputStream} hold the channel's blocking lock for
 * the whole of a read, so a writer waits until the peer sends something: a deadlock when both
 * sides wait for each other's frame. These go straight to {@code read}/{@code write}, whose locks
 * are separate.
 */
public final class SocketStreams {
  private SocketStreams() {}

  public static InputStream in(SocketChannel ch) {
    return new InputStream() {
      @Override public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
      }

      @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        return ch.read(ByteBuffer.wrap(b, off, len));
      }

      @Override public void close() throws IOException { ch.close(); }
    };
  }

  public static OutputStream out(SocketChannel ch) {
    return new OutputStream() {
      @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

      @Override public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) ch.write(buf);
      }

      @Override public void close() throws IOException { ch.close(); }
    };
  }
}
