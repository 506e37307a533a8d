package io.mtpbridge.core.responder;

import java.nio.ByteBuffer;

/**
 * The one buffer object content moves through on the thread that serves the host (GetObject,
 * SendObject, SendPartialObject, CopyObject): direct, so file and USB I/O use it without a copy
 * into native memory, made once per thread. A request that allocated its own buffer (256 KiB per
 * SendPartialObject, which go-mtpfs sends for every write; per copied file) made garbage in
 * proportion to the requests; two such buffers per thread kept 2 MiB resident.
 */
public final class TransferBuffer {
  /** A multiple of every USB packet size, several times the USB layer's transfer unit. */
  public static final int SIZE = 256 * 1024;
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SIZE));

  private TransferBuffer() {}

  /** This thread's buffer, cleared. Not to be held across requests. */
  public static ByteBuffer get() { return BUFFER.get().clear(); }
}
