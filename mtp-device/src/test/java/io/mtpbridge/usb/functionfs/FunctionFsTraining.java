package io.mtpbridge.usb.functionfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The native side of the FunctionFS backend, without a FunctionFS instance (for {@link
 * io.mtpbridge.device.CdsTraining}): JNA's libc binding, the interrupt signal check, one read and
 * one write through an endpoint file (on /dev/null), the descriptor and string blobs.
 */
public final class FunctionFsTraining {
  private FunctionFsTraining() {}

  public static void exercise() throws IOException {
    ThreadInterrupter.ensureReady();
    FfsDescriptors.descriptors(true);
    FfsDescriptors.descriptors(false);
    FfsDescriptors.strings();
    MountTable.typeOf(Path.of("/"));
    EndpointFile file = EndpointFile.open(Path.of("/dev/null"), LibC.O_RDWR);
    try {
      ByteBuffer buf = ByteBuffer.allocateDirect(512);
      buf.put(new byte[100]).flip();
      file.write(buf);
      file.write(ByteBuffer.allocate(0));
      buf.clear();
      file.read(buf);
      file.abort();
      file.resume();
    } finally {
      file.close();
    }
    try {
      EndpointFile.open(Path.of("/nonexistent/ep0"), LibC.O_RDWR);
    } catch (NativeIoException expected) {
      NativeIoException.describe(expected.errno());
    }
  }
}
