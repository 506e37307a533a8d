package io.mtpbridge.usb.mtp;

import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.EndpointAbortedException;
import io.mtpbridge.usb.function.UsbFunction;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet-exact USB function for framing tests: the host side queues and reads individual
 * packets; the device side sees USB transfer semantics (a read ends at a short packet or a full
 * buffer; a write is split into max-size packets, an empty write is a ZLP). Reads that are not a
 * whole number of packets fail the test, as they would misbehave on a real controller.
 */
public final class FakeUsbFunction implements UsbFunction {
  final int maxPacket;
  final PacketPipe out;   // host -> device
  final PacketPipe in;    // device -> host
  final PacketPipe interrupt;
  final FakeOut bulkOut;
  final FakeIn bulkIn;
  final FakeIn interruptIn;
  public volatile UsbFunctionListener listener;
  final List<Integer> inWriteSizes = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> outReadSizes = Collections.synchronizedList(new ArrayList<>());
  /** The threads that wrote to bulk IN and read from bulk OUT, in order. */
  final List<String> inWriteThreads = Collections.synchronizedList(new ArrayList<>());
  final List<String> outReadThreads = Collections.synchronizedList(new ArrayList<>());
  /** The threads reading the OUT pipe right now (blocked in a read), by name. */
  final java.util.Set<String> outReadingNow = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public FakeUsbFunction(int maxPacket, int inQueuePackets) {
    this.maxPacket = maxPacket;
    this.out = new PacketPipe(Integer.MAX_VALUE);
    this.in = new PacketPipe(inQueuePackets);
    this.interrupt = new PacketPipe(2);
    this.bulkOut = new FakeOut();
    this.bulkIn = new FakeIn(in, maxPacket, true);
    this.interruptIn = new FakeIn(interrupt, 28, false);
  }

  @Override public void start(UsbFunctionListener l) { this.listener = l; }
  @Override public BulkInEndpoint bulkIn() { return bulkIn; }
  @Override public BulkOutEndpoint bulkOut() { return bulkOut; }
  @Override public BulkInEndpoint interruptIn() { return interruptIn; }
  public volatile boolean closed;

  @Override public void close() { closed = true; }

  public void enable() {
    UsbSpeed speed = maxPacket == 64 ? UsbSpeed.FULL : maxPacket == 512 ? UsbSpeed.HIGH : UsbSpeed.SUPER;
    listener.onEnable(speed, maxPacket);
  }

  // ---- host side ----

  /** The host sends one transfer; {@code zlp} adds the ZLP a host sends after whole packets. */
  public void hostSend(byte[] transfer, boolean zlp) throws InterruptedException {
    int off = 0;
    do {
      int n = Math.min(maxPacket, transfer.length - off);
      out.put(Arrays.copyOfRange(transfer, off, off + n));
      off += n;
    } while (off < transfer.length);
    if (zlp && transfer.length > 0 && transfer.length % maxPacket == 0) out.put(new byte[0]);
  }

  public void hostSendZlp() throws InterruptedException { out.put(new byte[0]); }

  /** Whether the last transfer read by {@link #hostReceiveTransfer} was ended by a ZLP. */
  public volatile boolean lastEndedWithZlp;

  /** Reads packets until a short one (or a ZLP) ends the transfer; the ZLP is not part of the data. */
  public byte[] hostReceiveTransfer() throws InterruptedException {
    ByteBuffer acc = ByteBuffer.allocate(1 << 16);
    List<byte[]> parts = new ArrayList<>();
    int total = 0;
    while (true) {
      byte[] p = in.take(5000);
      if (p == null) throw new AssertionError("no packet from the device within 5 s");
      parts.add(p);
      total += p.length;
      lastEndedWithZlp = p.length == 0;
      if (p.length < maxPacket) break;
    }
    byte[] all = new byte[total];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, off, p.length);
      off += p.length;
    }
    return all;
  }

  public byte[] hostReceivePacket(long timeoutMs) throws InterruptedException { return in.take(timeoutMs); }

  public ControlReply control(int requestType, int request, int value, int length, byte[] data) {
    return listener.onControlRequest(new ControlRequest(requestType, request, value, 0, length,
        data == null ? null : ByteBuffer.wrap(data)));
  }

  public ControlReply cancel(int tid) {
    byte[] d = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x4001).putInt(tid).array();
    return control(0x21, 0x64, 0, 6, d);
  }

  public int deviceStatus() {
    ControlReply r = control(0xA1, 0x67, 0, 20, null);
    if (r.stalled()) throw new AssertionError("Get Device Status stalled");
    return r.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(2) & 0xFFFF;
  }

  // ---- device side ----

  /** A bounded queue of packets with abort semantics. */
  static final class PacketPipe {
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final int capacity;
    private boolean aborted;
    /** Set when the device side gave up waiting: the test ended the conversation. */
    boolean endOfScript;

    PacketPipe(int capacity) { this.capacity = capacity; }

    synchronized void put(byte[] p) throws InterruptedException {
      while (packets.size() >= capacity) wait();
      packets.add(p);
      notifyAll();
    }

    synchronized byte[] take(long timeoutMs) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (packets.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return null;
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      byte[] p = packets.poll();
      notifyAll();
      return p;
    }

    synchronized int size() { return packets.size(); }

    /** Device side: waits for a packet; fails when aborted. */
    synchronized byte[] deviceTake() throws IOException {
      while (packets.isEmpty() && !aborted) {
        if (endOfScript) throw new EndpointAbortedException("end of test script");
        waitUninterruptibly();
      }
      if (aborted) throw new EndpointAbortedException("aborted");
      byte[] p = packets.poll();
      notifyAll();
      return p;
    }

    synchronized byte[] devicePeek() throws IOException {
      while (packets.isEmpty() && !aborted) {
        if (endOfScript) throw new EndpointAbortedException("end of test script");
        waitUninterruptibly();
      }
      if (aborted) throw new EndpointAbortedException("aborted");
      return packets.peek();
    }

    synchronized void devicePut(byte[] p) throws IOException {
      while (packets.size() >= capacity && !aborted) waitUninterruptibly();
      if (aborted) throw new EndpointAbortedException("aborted");
      packets.add(p);
      notifyAll();
    }

    synchronized void abort(boolean dropQueued) {
      aborted = true;
      if (dropQueued) packets.clear();
      notifyAll();
    }

    synchronized void resume() { aborted = false; notifyAll(); }

    synchronized void endScript() { endOfScript = true; notifyAll(); }

    private void waitUninterruptibly() {
      try {
        wait(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  final class FakeOut implements BulkOutEndpoint {
    @Override public int read(ByteBuffer dst) throws IOException {
      if (dst.remaining() == 0 || dst.remaining() % maxPacket != 0) {
        throw new AssertionError("bulk OUT read of " + dst.remaining() + " bytes is not a whole number of " + maxPacket + "-byte packets");
      }
      outReadSizes.add(dst.remaining());
      String reader = Thread.currentThread().getName();
      outReadThreads.add(reader);
      outReadingNow.add(reader);
      try {
        int total = 0;
        while (dst.hasRemaining()) {
          byte[] p = out.deviceTake();
          dst.put(p);
          total += p.length;
          if (p.length < maxPacket) break;
        }
        return total;
      } finally {
        outReadingNow.remove(reader);
      }
    }

    @Override public void abort() { out.abort(false); }
    @Override public void resume() { out.resume(); }
    @Override public void halt() {}
  }

  final class FakeIn implements BulkInEndpoint {
    private final PacketPipe pipe;
    private final int packetSize;
    private final boolean record;

    FakeIn(PacketPipe pipe, int packetSize, boolean record) {
      this.pipe = pipe;
      this.packetSize = packetSize;
      this.record = record;
    }

    @Override public void write(ByteBuffer src) throws IOException {
      if (record) {
        inWriteSizes.add(src.remaining());
        inWriteThreads.add(Thread.currentThread().getName());
      }
      if (!src.hasRemaining()) {
        pipe.devicePut(new byte[0]);
        return;
      }
      while (src.hasRemaining()) {
        byte[] p = new byte[Math.min(packetSize, src.remaining())];
        src.get(p);
        pipe.devicePut(p);
      }
    }

    @Override public void abort() { pipe.abort(true); }
    @Override public void resume() { pipe.resume(); }
    @Override public void halt() {}
  }
}
