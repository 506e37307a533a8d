package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.loopback.LoopbackTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated initiator for tests: runs a responder on a thread over a {@link LoopbackTransport}
 * and offers typed helpers. Transaction ids count up from 1 as real hosts do.
 */
public final class TestHost implements AutoCloseable {
  public final MtpResponder responder;
  public final LoopbackTransport link = new LoopbackTransport().timeout(20_000);
  private final Thread thread;
  private int tid = 0;

  public TestHost(MtpResponder responder) {
    this.responder = responder;
    this.thread = new Thread(() -> responder.serve(link), "responder-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  public int nextTid() { return ++tid; }

  public LoopbackExchange open() throws IOException {
    LoopbackExchange x = link.transact(OperationCode.OPEN_SESSION.value(), 0, 1);
    assertEquals(ResponseCode.OK.value(), x.code(), "OpenSession");
    return x;
  }

  /** A transaction without data toward the device. */
  public LoopbackExchange tx(OperationCode op, int... params) throws IOException {
    return link.transact(op.value(), nextTid(), params);
  }

  public LoopbackExchange tx(int code, int... params) throws IOException {
    return link.transact(code, nextTid(), params);
  }

  /** A transaction with {@code data} toward the device. */
  public LoopbackExchange send(OperationCode op, byte[] data, int... params) throws IOException {
    return link.transact(LoopbackRequest.of(op.value(), nextTid(), params).data(data));
  }

  public LoopbackExchange request(LoopbackRequest r) throws IOException { return link.transact(r); }

  /** Expects OK and returns the data phase as a little-endian ByteBuf. */
  public ByteBuf ok(LoopbackExchange x) {
    assertEquals(ResponseCode.OK.value(), x.code(), () -> "expected OK, got " + ResponseCode.nameOf(x.code()));
    return x.data() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(x.data());
  }

  public static void expect(ResponseCode code, LoopbackExchange x) {
    assertEquals(code.value(), x.code(), () -> "expected " + code.wireName() + ", got " + ResponseCode.nameOf(x.code()));
  }

  public int[] handles(int storage, int format, int parent) throws IOException {
    ByteBuf b = ok(tx(OperationCode.GET_OBJECT_HANDLES, storage, format, parent));
    int n = b.readIntLE();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = b.readIntLE();
    return out;
  }

  public int[] storageIds() throws IOException {
    ByteBuf b = ok(tx(OperationCode.GET_STORAGE_IDS));
    int n = b.readIntLE();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = b.readIntLE();
    return out;
  }

  public static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  public static byte[] encode(PropertyValue v) {
    ByteBuf b = Unpooled.buffer();
    v.encode(b);
    return bytes(b);
  }

  public void assertClean() {
    List<String> v = new ArrayList<>(link.violations());
    assertTrue(v.isEmpty(), () -> "protocol violations: " + v);
    assertTrue(thread.isAlive(), "the responder thread died");
  }

  public boolean alive() { return thread.isAlive(); }

  @Override
  public void close() throws InterruptedException {
    link.close();
    thread.join(10_000);
    // Each listed file-system storage holds an inotify instance until closed; a test JVM that
    // leaves them open runs out (128 per user by default) and later tests get no device events.
    for (StorageSlot slot : responder.storages().all()) {
      try {
        slot.storage().close();
      } catch (java.io.IOException | RuntimeException ignored) {
        // the test is over
      }
    }
  }
}
