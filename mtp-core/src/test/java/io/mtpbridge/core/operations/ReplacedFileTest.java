package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file replaced on the device between the responder's stat and its open (written aside and
 * renamed over, as status files, editors and databases do): GetObject sends the file it opened,
 * whole and with its own length, not the old length's worth of it.
 */
class ReplacedFileTest {
  @TempDir Path dir;

  /** A file-system storage on which every file is replaced by {@code replacement} right before it is opened. */
  private static final class ReplacingStorage implements Storage {
    final FileSystemStorage fs;
    final Path dir;
    final byte[] replacement;

    ReplacingStorage(Path dir, byte[] replacement) throws IOException {
      this.fs = new FileSystemStorage("Internal", dir, false);
      this.dir = dir;
      this.replacement = replacement;
    }

    @Override public StorageDetails details() throws IOException { return fs.details(); }
    @Override public ObjectMetadata stat(ObjectPath path) throws IOException { return fs.stat(path); }
    @Override public Stream<ObjectMetadata> list(ObjectPath folder) throws IOException { return fs.list(folder); }

    @Override public ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException {
      Path aside = dir.resolve(".replacement");
      Files.write(aside, replacement);
      Files.move(aside, dir.resolve(path.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return fs.openRead(path, offset);
    }
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private void getObjectSendsTheReplacement(int oldSize, int newSize) throws Exception {
    Files.write(dir.resolve("status.txt"), bytes(oldSize, 1));
    byte[] replacement = bytes(newSize, 2);
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new ReplacingStorage(dir, replacement))
        .build();
    try (TestHost h = new TestHost(r)) {
      h.open();
      int handle = h.handles(0, 0, 0xFFFFFFFF)[0];
      LoopbackExchange x = h.tx(OperationCode.GET_OBJECT, handle);
      expect(ResponseCode.OK, x);
      assertArrayEquals(replacement, x.data());
      h.assertClean();
      expect(ResponseCode.OK, h.tx(OperationCode.GET_OBJECT_INFO, handle));
    }
  }

  @Test
  void aShorterReplacementArrivesWhole() throws Exception {
    getObjectSendsTheReplacement(70_000, 300);
  }

  @Test
  void aLongerReplacementArrivesWhole() throws Exception {
    getObjectSendsTheReplacement(300, 70_000);
  }
}
