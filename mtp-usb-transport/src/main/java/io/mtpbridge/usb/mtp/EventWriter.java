package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.container.ContainerCodec;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.usb.function.BulkInEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events on the interrupt pipe from its own thread. Many hosts never read that pipe
 * (mtp-tools don't), so a write may block forever: the protocol thread only ever offers to a
 * bounded queue, and what does not fit is dropped and logged.
 */
final class EventWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

  private final BulkInEndpoint interruptIn;
  private final int maxPacket;
  private final BlockingQueue<Event> queue;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  EventWriter(BulkInEndpoint interruptIn, int capacity, int maxPacket) {
    this.interruptIn = interruptIn;
    this.maxPacket = maxPacket;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "mtp-usb-events");
    thread.setDaemon(true);
  }

  void start() { thread.start(); }

  /** Never blocks. Returns false (and logs) when the event was dropped. */
  boolean offer(Event event) {
    if (closed) return false;
    if (queue.offer(event)) return true;
    long n = dropped.incrementAndGet();
    // one line per power of two keeps a host that never reads events from flooding the log
    if (Long.bitCount(n) == 1) log.warn("event queue full (host is not reading the interrupt pipe): dropped {} ({} so far)", event, n);
    return false;
  }

  long droppedCount() { return dropped.get(); }

  /** The connection went away: events for it mean nothing to the next host. */
  void connectionDown() {
    interruptIn.abort();
    queue.clear();
  }

  void connectionUp() { interruptIn.resume(); }

  private void run() {
    // direct, so the endpoint writes it without a copy
    ByteBuf container = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(ContainerCodec.MAX_PARAM_CONTAINER));
    while (!closed) {
      Event event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      container.clear();
      ContainerCodec.encodeEvent(event, container);
      ByteBuffer packet = container.nioBuffer();
      try {
        interruptIn.write(packet);
        if (packet.limit() % maxPacket == 0) interruptIn.write(ByteBuffer.allocate(0));
      } catch (IOException e) {
        if (!closed) log.info("event {} not delivered: {}", event, e.getMessage());
      } catch (RuntimeException e) {
        log.error("event writer failed on {}", event, e);
      }
    }
  }

  @Override public void close() {
    closed = true;
    interruptIn.abort();
    thread.interrupt();
  }
}
