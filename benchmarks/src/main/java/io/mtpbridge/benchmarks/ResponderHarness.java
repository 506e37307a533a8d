package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.loopback.LoopbackTransport;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** A responder over one directory, served on its own thread through the loopback transport. */
final class ResponderHarness implements AutoCloseable {
  static final int STORAGE = 0x00010001;

  final MtpResponder responder;
  final LoopbackTransport link = new LoopbackTransport().timeout(600_000);
  private final Thread thread;
  private int tid;

  ResponderHarness(Path root) throws IOException {
    this(new FileSystemStorage("Bench", root, false));
  }

  ResponderHarness(FileSystemStorage storage) {
    responder = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Bench", "Bench", "1", "BENCH0001"))
        .addStorage(storage)
        .build();
    thread = new Thread(() -> responder.serve(link), "responder");
    thread.setDaemon(true);
    thread.start();
  }

  void openSession() throws IOException {
    tid = 0;
    check(link.transact(OperationCode.OPEN_SESSION.value(), 0, 1));
  }

  void closeSession() throws IOException { check(link.transact(OperationCode.CLOSE_SESSION.value(), ++tid)); }

  LoopbackExchange captured(OperationCode op, int... params) throws IOException {
    return check(link.transact(LoopbackRequest.of(op.value(), ++tid, params)));
  }

  LoopbackExchange discarded(OperationCode op, int... params) throws IOException {
    return check(link.transact(LoopbackRequest.of(op.value(), ++tid, params).sink(LoopbackTransport.nullSink())));
  }

  /** A transaction with a data phase toward the device. */
  LoopbackExchange send(OperationCode op, byte[] data, int... params) throws IOException {
    return check(link.transact(LoopbackRequest.of(op.value(), ++tid, params).data(data)));
  }

  /** The handles GetObjectHandles returns (captured, so only for small lists). */
  int[] handles(int parent) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(captured(OperationCode.GET_OBJECT_HANDLES, STORAGE, 0, parent).data()).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[b.getInt()];
    for (int i = 0; i < out.length; i++) out[i] = b.getInt();
    return out;
  }

  static LoopbackExchange check(LoopbackExchange x) {
    if (x.code() != ResponseCode.OK.value()) throw new IllegalStateException("responder answered " + ResponseCode.nameOf(x.code()));
    return x;
  }

  @Override
  public void close() throws InterruptedException {
    link.close();
    thread.join(10_000);
  }
}
