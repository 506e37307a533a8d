package io.mtpbridge.core.loopback;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.MtpProtocolException;
import io.mtpbridge.core.transport.MtpTransport;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.core.transport.TransportClosedException;
import io.mtpbridge.core.transport.TransportResetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-memory {@link MtpTransport}: the responder serves it on its own thread while a test (or a
 * benchmark, or another module's test) plays the host through {@link #transact}. Data phases are
 * streamed between the host's channels and the responder, cancel and reset can be injected at any
 * point of a transaction, and events are captured. Protocol mistakes the responder makes (a
 * response to a cancelled transaction, a wrong transaction id, a data phase shorter than announced)
 * are recorded in {@link #violations()} so tests can assert there are none.
 */
public final class LoopbackTransport implements MtpTransport {
  private static final Object RESET = new Object();
  private static final Object CLOSE = new Object();
  private static final int MAX_QUEUED_EVENTS = 10_000;

  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<String> violations = new ArrayList<>();
  private volatile boolean closed;
  private volatile long defaultTimeoutMillis = 30_000;
  private Pending current; // protocol thread only
  private long droppedEvents;
  private volatile int lastChecks;

  /** How long {@link #transact} waits for the responder (default 30 s). */
  public LoopbackTransport timeout(long millis) {
    this.defaultTimeoutMillis = millis;
    return this;
  }

  // ---- host side ----

  /** Performs one transaction and waits for its outcome. */
  public LoopbackExchange transact(LoopbackRequest request) throws IOException {
    Pending p = new Pending(request);
    inbox.add(p);
    try {
      return p.done.get(defaultTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the responder did not finish " + request.command + " within " + defaultTimeoutMillis + " ms");
    } catch (ExecutionException e) {
      throw new IOException("transaction failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /** Shorthand for a transaction without a data phase toward the device. */
  public LoopbackExchange transact(int code, int tid, int... params) throws IOException {
    return transact(LoopbackRequest.of(code, tid, params));
  }

  /** Simulates a device reset / disconnect while the responder waits for the next command. */
  public void reset() { inbox.add(RESET); }

  /** Shuts the transport down: the responder's serve loop returns. */
  public void close() {
    closed = true;
    inbox.add(CLOSE);
  }

  /** The next event, waiting up to {@code timeout}, or null. */
  public Event pollEvent(long timeout, TimeUnit unit) throws InterruptedException { return events.poll(timeout, unit); }

  /** Every event received so far, removed from the queue. */
  public List<Event> drainEvents() {
    List<Event> out = new ArrayList<>();
    events.drainTo(out);
    return out;
  }

  public synchronized List<String> violations() { return new ArrayList<>(violations); }

  private synchronized void violation(String what) { violations.add(what); }

  // ---- responder side ----

  @Override
  public Command receiveCommand() throws IOException {
    finishCurrentWithoutResponse();
    Object next;
    try {
      next = inbox.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportClosedException("interrupted");
    }
    if (next == CLOSE) {
      inbox.add(CLOSE); // stay closed for any later call
      throw new TransportClosedException("loopback transport closed");
    }
    if (next == RESET) throw new TransportResetException("host reset the device");
    current = (Pending) next;
    return current.request.command;
  }

  private void finishCurrentWithoutResponse() {
    Pending p = current;
    current = null;
    if (p == null || p.done.isDone()) return;
    if (!p.faulted) violation("no response to " + p.request.command);
    p.complete(null);
  }

  private Pending expect(Command command, String what) throws IOException {
    if (closed) throw new TransportClosedException("loopback transport closed");
    Pending p = current;
    if (p == null || p.faulted) throw new TransportResetException(what + " outside a transaction");
    if (p.request.command.transactionId() != command.transactionId() || p.request.command.code() != command.code()) {
      violation(what + " for " + command + " during " + p.request.command);
      throw new MtpProtocolException(0x2004, what + " for the wrong transaction");
    }
    return p;
  }

  @Override
  public DataIn receiveData(Command command) throws IOException {
    Pending p = expect(command, "receiveData");
    if (p.dataOpened) {
      violation("second data phase for " + command);
      throw new MtpProtocolException(0x2002, "the data phase was already opened");
    }
    p.dataOpened = true;
    p.faultAt(FaultPoint.DATA_PHASE_START);
    if (!p.request.hasData()) throw new MtpProtocolException(0x2007, "the host sent no data phase for " + command);
    return new HostData(p);
  }

  @Override
  public DataOut sendData(Command command, long length) throws IOException {
    Pending p = expect(command, "sendData");
    if (length < -1) throw new IllegalArgumentException("length " + length);
    if (p.dataOpened) {
      violation("second data phase for " + command);
      throw new MtpProtocolException(0x2002, "the data phase was already opened");
    }
    if (p.request.hasData()) violation("device data phase for " + command + " which carries host data");
    p.dataOpened = true;
    p.deviceData = true;
    p.announced = length;
    p.faultAt(FaultPoint.DATA_PHASE_START);
    return new DeviceData(p, length);
  }

  @Override
  public void sendResponse(Response response) throws IOException {
    if (closed) throw new TransportClosedException("loopback transport closed");
    Pending p = current;
    if (p == null || p.done.isDone()) {
      violation("response outside a transaction: " + response);
      return;
    }
    if (p.faulted) {
      violation("response " + response + " to a cancelled/reset transaction " + p.request.command);
      current = null;
      p.complete(null);
      return;
    }
    if (response.transactionId() != p.request.command.transactionId()) {
      violation("response " + response + " carries the wrong transaction id for " + p.request.command);
    }
    if (p.deviceData && !p.deviceDataClosed) violation("response before the data phase was closed: " + p.request.command);
    p.faultAt(FaultPoint.RESPONSE);
    current = null;
    p.complete(response);
  }

  @Override
  public void checkCancelled(Command command) throws IOException {
    Pending p = expect(command, "checkCancelled");
    p.checks++;
    if (p.request.fault != LoopbackRequest.Fault.NONE && p.request.faultPoint == FaultPoint.CHECK
        && p.checks >= p.request.faultAfterBytes) {
      p.fire();
    }
  }

  /** How many cancellation checks the last transaction's handler made. */
  public int lastChecks() { return lastChecks; }

  @Override
  public void sendEvent(Event event) {
    if (events.size() >= MAX_QUEUED_EVENTS) {
      synchronized (this) { droppedEvents++; }
      return;
    }
    events.add(event);
  }

  /** One transaction in flight. Touched by the protocol thread only, until completed. */
  private final class Pending {
    final LoopbackRequest request;
    final CompletableFuture<LoopbackExchange> done = new CompletableFuture<>();
    final ByteArrayOutputStream captured;
    boolean dataOpened;
    boolean deviceData;
    boolean deviceDataClosed;
    long announced;
    long fromDevice;
    long toDevice;
    int checks;
    boolean faulted;

    Pending(LoopbackRequest request) {
      this.request = request;
      this.captured = request.sink == null ? new ByteArrayOutputStream() : null;
    }

    void faultAt(FaultPoint point) throws IOException {
      if (request.fault == LoopbackRequest.Fault.NONE || request.faultPoint != point) return;
      fire();
    }

    /** Bytes that may still move before the fault fires (Long.MAX_VALUE when none is planned). */
    long bytesBeforeFault() {
      if (request.fault == LoopbackRequest.Fault.NONE || request.faultPoint != FaultPoint.AFTER_BYTES) return Long.MAX_VALUE;
      return request.faultAfterBytes - (fromDevice + toDevice);
    }

    void fire() throws IOException {
      faulted = true;
      if (request.fault == LoopbackRequest.Fault.CANCEL) {
        throw new TransactionCancelledException(request.command.transactionId());
      }
      throw new TransportResetException("host reset the device during " + request.command);
    }

    void complete(Response response) {
      lastChecks = checks;
      boolean cancelled = faulted && request.fault == LoopbackRequest.Fault.CANCEL;
      boolean reset = faulted && request.fault == LoopbackRequest.Fault.RESET;
      done.complete(new LoopbackExchange(response, captured == null || !deviceData ? null : captured.toByteArray(),
          deviceData, announced, fromDevice, toDevice, cancelled, reset));
    }
  }

  /** The host's data phase, read by the responder. */
  private final class HostData implements DataIn {
    private final Pending p;
    private boolean open = true;
    private boolean ended;

    HostData(Pending p) { this.p = p; }

    @Override public long length() { return p.request.dataLength; }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!open) throw new ClosedChannelException();
      if (p.faulted) throw new TransportResetException("transaction already ended");
      if (ended) return -1;
      long budget = p.bytesBeforeFault();
      if (budget <= 0) p.fire();
      long left = p.request.dataLength < 0 ? Long.MAX_VALUE : p.request.dataLength - p.toDevice;
      if (left == 0) {
        ended = true;
        return -1;
      }
      if (!dst.hasRemaining()) return 0;
      int max = (int) Math.min(dst.remaining(), Math.min(left, budget));
      ByteBuffer slice = dst.duplicate();
      slice.limit(slice.position() + max);
      int n = p.request.dataSource.read(slice);
      if (n < 0) {
        // The host's stream ended: with a known length that is a short data phase.
        ended = true;
        return -1;
      }
      dst.position(dst.position() + n);
      p.toDevice += n;
      return n;
    }

    @Override public boolean isOpen() { return open; }

    @Override
    public void close() throws IOException {
      if (!open) return;
      open = false;
      if (p.faulted || ended) return;
      // Drain what the handler left, as a USB transport must to keep the framing.
      ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
      long left = p.request.dataLength < 0 ? Long.MAX_VALUE : p.request.dataLength - p.toDevice;
      while (left > 0) {
        scratch.clear();
        if (left < scratch.capacity()) scratch.limit((int) left);
        int n = p.request.dataSource.read(scratch);
        if (n < 0) break;
        left -= n;
        p.toDevice += n;
      }
    }
  }

  /** The device's data phase, streamed to the host's sink. */
  private final class DeviceData implements DataOut {
    private final Pending p;
    private final long length;
    private boolean open = true;

    DeviceData(Pending p, long length) {
      this.p = p;
      this.length = length;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (!open) throw new ClosedChannelException();
      if (p.faulted) throw new TransportResetException("transaction already ended");
      int n = src.remaining();
      if (length >= 0 && p.fromDevice + n > length) {
        violation("device wrote past its announced length " + length + " in " + p.request.command);
        throw new IOException("data phase longer than the announced " + length + " bytes");
      }
      long budget = p.bytesBeforeFault();
      if (budget <= 0) p.fire();
      if (n > budget) {
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + (int) budget);
        int w = writeAll(part);
        src.position(src.position() + w);
        return w;
      }
      return writeAll(src);
    }

    private int writeAll(ByteBuffer src) throws IOException {
      int n = src.remaining();
      if (p.captured != null) {
        if (src.hasArray()) {
          p.captured.write(src.array(), src.arrayOffset() + src.position(), n);
          src.position(src.limit());
        } else {
          byte[] b = new byte[n];
          src.get(b);
          p.captured.write(b);
        }
      } else {
        WritableByteChannel sink = p.request.sink;
        while (src.hasRemaining()) sink.write(src);
      }
      p.fromDevice += n;
      return n;
    }

    @Override public boolean isOpen() { return open; }

    @Override
    public void close() throws IOException {
      if (!open) return;
      open = false;
      if (p.faulted) return;
      p.deviceDataClosed = true;
      if (length >= 0 && p.fromDevice != length) {
        violation("device ended its data phase after " + p.fromDevice + " of " + length + " bytes in " + p.request.command);
        throw new IOException("data phase closed after " + p.fromDevice + " of the announced " + length + " bytes");
      }
    }
  }

  /** A sink that discards everything (benchmarks). */
  public static WritableByteChannel nullSink() {
    return new WritableByteChannel() {
      private boolean open = true;
      @Override public int write(ByteBuffer src) { int n = src.remaining(); src.position(src.limit()); return n; }
      @Override public boolean isOpen() { return open; }
      @Override public void close() { open = false; }
    };
  }

  /** A source of {@code length} zero bytes (benchmarks, large uploads in tests). */
  public static ReadableByteChannel zeroSource(long length) {
    return new ReadableByteChannel() {
      private long left = length;
      private boolean open = true;
      @Override public int read(ByteBuffer dst) {
        if (left == 0) return -1;
        int n = (int) Math.min(dst.remaining(), left);
        for (int i = 0; i < n; i++) dst.put((byte) 0);
        left -= n;
        return n;
      }
      @Override public boolean isOpen() { return open; }
      @Override public void close() { open = false; }
    };
  }
}
