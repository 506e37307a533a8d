package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Responders over temporary directories, and datasets a host would send. */
public final class Fixtures {
  public static final int STORAGE_1 = 0x00010001;
  public static final int STORAGE_2 = 0x00020001;

  private Fixtures() {}

  /**
   * A fresh file for device state (object references) outside every storage, removed when the JVM
   * exits.
   */
  public static Path stateFile(String name) throws IOException {
    Path dir = Files.createTempDirectory("mtpbridge-state-");
    dir.toFile().deleteOnExit();
    Path file = dir.resolve(name);
    file.toFile().deleteOnExit();
    return file;
  }

  /** A responder with one writable storage at {@code dir}. */
  public static MtpResponder responder(Path dir) throws IOException {
    return MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .referencesFile(stateFile("object-references"))
        .addStorage(new FileSystemStorage("Internal", dir, false))
        .eventCoalesceMillis(50)
        .build();
  }

  public static byte[] objectInfo(String name, int format, long size, int parent) {
    ObjectInfo info = ObjectInfo.builder().objectFormat(format).size(size).parentObject(parent).filename(name)
        .dateModified("20240131T120000").build();
    ByteBuf b = Unpooled.buffer();
    info.encode(b);
    return TestHost.bytes(b);
  }

  public static byte[] fileInfo(String name, long size) { return objectInfo(name, ObjectFormat.UNDEFINED.value(), size, 0); }

  public static byte[] folderInfo(String name) { return objectInfo(name, ObjectFormat.ASSOCIATION.value(), 0, 0); }
}
