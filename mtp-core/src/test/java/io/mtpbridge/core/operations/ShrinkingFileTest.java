package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageDetails;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that shrinks on the device while the host downloads it: the data phase still carries the
 * length announced (the rest as zeros) so a host reading to that length does not stall, and the
 * response is IncompleteTransfer so it knows the bytes are not the object.
 */
class ShrinkingFileTest {
  private static final int SIZE = 3 * 1024 * 1024;
  private static final long CUT = 1536 * 1024;
  @TempDir Path dir;

  /** A file-system storage whose files end at {@link #CUT} once opened: they shrank right after the stat. */
  private static final class ShrinkingStorage implements Storage {
    final FileSystemStorage fs;

    ShrinkingStorage(FileSystemStorage fs) { this.fs = fs; }

    @Override public StorageDetails details() throws IOException { return fs.details(); }
    @Override public ObjectMetadata stat(ObjectPath path) throws IOException { return fs.stat(path); }
    @Override public Stream<ObjectMetadata> list(ObjectPath folder) throws IOException { return fs.list(folder); }

    @Override public ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException {
      ReadableByteChannel in = fs.openRead(path, offset);
      return new ReadableByteChannel() {
        long pos = offset;

        @Override public int read(ByteBuffer dst) throws IOException {
          if (pos >= CUT) return -1;
          ByteBuffer part = dst.duplicate();
          if (part.remaining() > CUT - pos) part.limit(part.position() + (int) (CUT - pos));
          int n = in.read(part);
          if (n > 0) {
            dst.position(dst.position() + n);
            pos += n;
          }
          return n;
        }

        @Override public boolean isOpen() { return in.isOpen(); }
        @Override public void close() throws IOException { in.close(); }
      };
    }
  }

  private TestHost host(byte[] original) throws IOException {
    Files.write(dir.resolve("video.bin"), original);
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new ShrinkingStorage(new FileSystemStorage("Internal", dir, false)))
        .build();
    TestHost h = new TestHost(r);
    h.open();
    return h;
  }

  private static byte[] content() {
    byte[] b = new byte[SIZE];
    new Random(7).nextBytes(b);
    return b;
  }

  private static void check(TestHost h, LoopbackExchange x, byte[] original, int offset, int length) {
    expect(ResponseCode.INCOMPLETE_TRANSFER, x);
    h.assertClean(); // in particular: no data phase shorter than announced
    byte[] got = x.data();
    assertEquals(length, got.length, "the announced length arrived");
    int real = (int) (CUT - offset);
    assertArrayEquals(Arrays.copyOfRange(original, offset, offset + real), Arrays.copyOfRange(got, 0, real));
    for (int i = real; i < got.length; i++) if (got[i] != 0) throw new AssertionError("byte " + i + " is not padding");
  }

  @Test
  void getObjectOfAShrinkingFileSendsTheAnnouncedLengthAndAnswersIncompleteTransfer() throws Exception {
    byte[] original = content();
    try (TestHost h = host(original)) {
      int handle = h.handles(0, 0, 0xFFFFFFFF)[0];
      check(h, h.tx(OperationCode.GET_OBJECT, handle), original, 0, SIZE);
      expect(ResponseCode.OK, h.tx(OperationCode.GET_OBJECT_INFO, handle)); // the session goes on
    }
  }

  @Test
  void getPartialObject64OfAShrinkingFileToo() throws Exception {
    byte[] original = content();
    try (TestHost h = host(original)) {
      int handle = h.handles(0, 0, 0xFFFFFFFF)[0];
      int offset = 1024 * 1024;
      check(h, h.tx(OperationCode.GET_PARTIAL_OBJECT64, handle, offset, 0, SIZE - offset), original, offset, SIZE - offset);
    }
  }
}
