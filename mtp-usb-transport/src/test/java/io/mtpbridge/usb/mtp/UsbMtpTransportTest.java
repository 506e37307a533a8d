package io.mtpbridge.usb.mtp;

import static io.mtpbridge.usb.mtp.Containers.command;
import static io.mtpbridge.usb.mtp.Containers.data;
import static io.mtpbridge.usb.mtp.Containers.dataHeader;
import static io.mtpbridge.usb.mtp.Containers.pattern;
import static io.mtpbridge.usb.mtp.Containers.u16;
import static io.mtpbridge.usb.mtp.Containers.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.MtpProtocolException;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.core.transport.TransportClosedException;
import io.mtpbridge.core.transport.TransportResetException;
import io.mtpbridge.usb.function.ControlReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class UsbMtpTransportTest {
  private static final int GET_OBJECT = 0x1009;
  private static final int SEND_OBJECT = 0x100D;
  private static final int OPEN_SESSION = 0x1002;

  /** The device's protocol thread, one for the whole test, so a test can see where it is parked. */
  private final AtomicReference<Thread> protocolThread = new AtomicReference<>();
  private final ExecutorService protocol = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "protocol");
    protocolThread.set(t);
    return t;
  });
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private FakeUsbFunction usb;
  private UsbMtpTransport transport;

  private void connect(int maxPacket) throws IOException { connect(maxPacket, 64); }

  private void connect(int maxPacket, int inQueuePackets) throws IOException {
    connect(maxPacket, inQueuePackets, UsbMtpConfig.defaults());
  }

  private void connect(int maxPacket, int inQueuePackets, UsbMtpConfig config) throws IOException {
    usb = new FakeUsbFunction(maxPacket, inQueuePackets);
    transport = new UsbMtpTransport(usb, config);
    transport.start();
    usb.enable();
  }

  @AfterEach void tearDown() {
    if (transport != null) transport.close();
    protocol.shutdownNow();
  }

  private <T> Future<T> device(java.util.concurrent.Callable<T> work) {
    submitted.incrementAndGet();
    return protocol.submit(() -> {
      started.incrementAndGet();
      return work.call();
    });
  }

  /**
   * Waits until the protocol thread runs the work last given to {@link #device} and is parked in
   * it (blocked in the transport: waiting for the host, a full IN queue, a configuration): a
   * condition, not a sleep, so a loaded machine cannot make the host act before the device waits.
   */
  private void awaitDeviceParked() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Thread t = protocolThread.get();
      Thread.State state = t == null ? null : t.getState();
      if (started.get() == submitted.get()
          && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED)) {
        return;
      }
      if (System.nanoTime() > deadline) throw new AssertionError("the protocol thread never blocked (" + state + ")");
      Thread.sleep(1);
    }
  }

  /**
   * Waits until the stall watchdog reads the OUT pipe: the device noticed that its transfer to the
   * host makes no progress and watches for the next host's command. A state, not a sleep, so the
   * host acts only once the device watches, however slow the machine.
   */
  private void awaitStallWatch() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!usb.outReadingNow.contains("mtp-usb-stall-watch")) {
      if (System.nanoTime() > deadline) throw new AssertionError("the stall watchdog never watched the OUT pipe");
      Thread.sleep(1);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  private static byte[] readAll(DataIn in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(7000); // deliberately not aligned to anything
    int n;
    while ((n = in.read(buf.clear())) >= 0) all.write(buf.array(), 0, n);
    return all.toByteArray();
  }

  private static void writeAll(DataOut out, byte[] payload, int step) throws IOException {
    for (int off = 0; off < payload.length; off += step) out.write(ByteBuffer.wrap(payload, off, Math.min(step, payload.length - off)));
  }

  // ---------------- commands ----------------

  @Test void commandWithParametersIsDecoded() throws Exception {
    connect(512);
    usb.hostSend(command(OPEN_SESSION, 0, 1), true);
    Command c = await(device(transport::receiveCommand));
    assertEquals(OPEN_SESSION, c.code());
    assertEquals(0, c.transactionId());
    assertEquals(1, c.paramCount());
    assertEquals(1, c.param(0));
  }

  @Test void strayZlpsAndJunkBeforeACommandAreSkipped() throws Exception {
    connect(512);
    usb.hostSendZlp();
    usb.hostSend(new byte[] {1, 2, 3}, false);
    usb.hostSend(data(GET_OBJECT, 9, pattern(3000, 1)), true); // leftovers of a cancelled phase
    usb.hostSendZlp();
    usb.hostSend(command(GET_OBJECT, 10, 5), true);
    Command c = await(device(transport::receiveCommand));
    assertEquals(10, c.transactionId());
    assertEquals(5, c.param(0));
  }

  @Test void commandEndingAStrayTransferOfWholePacketsIsFound() throws Exception {
    connect(64);
    // a stray transfer of whole packets with no ZLP, then the next command
    usb.hostSend(pattern(64 * 3000, 3), false);
    usb.hostSend(command(OPEN_SESSION, 0, 1), false);
    Command c = await(device(transport::receiveCommand));
    assertEquals(OPEN_SESSION, c.code());
  }

  // ---------------- data IN phases (device to host) ----------------

  @ParameterizedTest @ValueSource(ints = {64, 512, 1024})
  void zlpFollowsAContainerOfWholePackets(int maxPacket) throws Exception {
    connect(maxPacket, 1 << 16);
    byte[] payload = pattern(maxPacket * 3 - 12, 7); // container = exactly 3 packets
    Command cmd = new Command(GET_OBJECT, 4, 1);
    await(device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) {
        writeAll(out, payload, 1000);
      }
      transport.sendResponse(new Response(0x2001, 4));
      return null;
    }));
    byte[] dataTransfer = usb.hostReceiveTransfer();
    assertEquals(maxPacket * 3, dataTransfer.length, "data transfer");
    assertTrue(usb.lastEndedWithZlp, "a ZLP ends a container of whole packets");
    byte[] response = usb.hostReceiveTransfer();
    assertEquals(12, response.length);
    assertEquals(3, u16(response, 4));
    assertEquals(maxPacket * 3, u32(dataTransfer, 0));
    assertEquals(2, u16(dataTransfer, 4));
    assertEquals(GET_OBJECT, u16(dataTransfer, 6));
    assertEquals(4, u32(dataTransfer, 8));
    byte[] got = java.util.Arrays.copyOfRange(dataTransfer, 12, dataTransfer.length);
    assertArrayEquals(payload, got);
  }

  @ParameterizedTest @ValueSource(ints = {64, 512, 1024})
  void noZlpAfterAShortLastPacket(int maxPacket) throws Exception {
    connect(maxPacket, 1 << 16);
    byte[] payload = pattern(maxPacket * 2 + 1, 8);
    Command cmd = new Command(GET_OBJECT, 5);
    await(device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) {
        out.write(ByteBuffer.wrap(payload));
      }
      transport.sendResponse(new Response(0x2001, 5));
      return null;
    }));
    byte[] dataTransfer = usb.hostReceiveTransfer();
    assertEquals(payload.length + 12, dataTransfer.length);
    assertFalse(usb.lastEndedWithZlp);
    byte[] next = usb.hostReceiveTransfer();
    assertEquals(12, next.length, "the response follows directly, no ZLP in between");
    assertEquals(3, u16(next, 4));
  }

  @Test void headerAndFirstDataBytesShareTheFirstPacketAndWritesAreLarge() throws Exception {
    connect(512, 1 << 16);
    byte[] payload = pattern(1_000_000, 9);
    Command cmd = new Command(GET_OBJECT, 6);
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) {
        writeAll(out, payload, 4096);
      }
      return null;
    });
    byte[] first = usb.hostReceivePacket(5000);
    assertEquals(512, first.length);
    assertEquals(payload[0], first[12], "payload starts right after the header in the first packet");
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    rest.write(first, 12, 500);
    while (rest.size() < payload.length) {
      byte[] p = usb.hostReceivePacket(5000);
      rest.write(p);
      if (p.length < 512) break;
    }
    await(dev);
    assertArrayEquals(payload, rest.toByteArray());
    List<Integer> sizes = new ArrayList<>(usb.inWriteSizes);
    for (int i = 0; i < sizes.size() - 1; i++) {
      assertTrue(sizes.get(i) >= 64 * 1024, "endpoint write " + i + " of " + sizes.get(i) + " bytes is under 64 KiB");
      assertEquals(0, sizes.get(i) % 512, "endpoint write " + i + " is not whole packets");
    }
  }

  /**
   * While one buffer is on the wire, the next full one is already queued to the bulk I/O thread,
   * which then goes from one endpoint write straight to the next: the endpoint is not left
   * without a transfer while the protocol thread wakes up to hand the next buffer over.
   */
  @Test void theNextFullBufferIsQueuedBehindTheOneOnTheWire() throws Exception {
    connect(512, 4, SMALL_BUFFERS); // the host reads nothing yet: the first write blocks after 4 packets
    byte[] payload = pattern(5 * 64 * 1024, 12);
    Command cmd = new Command(GET_OBJECT, 30);
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) {
        writeAll(out, payload, 4096);
      }
      return null;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (transport.bulkIo().queued() < 1) {
      if (System.nanoTime() > deadline) throw new AssertionError("the second buffer was not queued while the first was on the wire");
      Thread.sleep(1);
    }
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (got.size() < payload.length + 12) {
      byte[] p = usb.hostReceivePacket(5000);
      got.write(p);
      if (p.length < 512) break;
    }
    await(dev);
    byte[] all = got.toByteArray();
    assertArrayEquals(payload, java.util.Arrays.copyOfRange(all, 12, all.length));
  }

  /** A channel that gives at most {@code step} bytes per read and ends after {@code length}. */
  private static java.nio.channels.ReadableByteChannel trickle(byte[] content, int length, int step) {
    return new java.nio.channels.ReadableByteChannel() {
      private int pos;

      @Override public int read(ByteBuffer dst) {
        if (pos >= length) return -1;
        int n = Math.min(Math.min(step, dst.remaining()), length - pos);
        dst.put(content, pos, n);
        pos += n;
        return n;
      }

      @Override public boolean isOpen() { return true; }

      @Override public void close() {}
    };
  }

  /** Object content read straight into the transfer buffers is framed exactly as written content. */
  @ParameterizedTest
  @ValueSource(ints = {0, 100, 512 - 12, 64 * 1024 - 12, 64 * 1024, 300_000})
  void contentReadStraightIntoTheBuffersIsFramedLikeWrittenContent(int size) throws Exception {
    connect(512, 1 << 16, SMALL_BUFFERS);
    byte[] payload = pattern(size, 13);
    Command cmd = new Command(GET_OBJECT, 31);
    Future<Long> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) {
        return out.transferFrom(trickle(payload, size, 7000), size, ByteBuffer.allocate(1));
      }
    });
    byte[] got = usb.hostReceiveTransfer();
    assertEquals((long) size, await(dev));
    assertEquals(size + 12, u32(got, 0), "container length");
    assertArrayEquals(payload, java.util.Arrays.copyOfRange(got, 12, got.length));
    assertEquals((size + 12) % 512 == 0, usb.lastEndedWithZlp, "a ZLP ends a container of whole packets, nothing else");
    List<Integer> sizes = usb.inWriteSizes.stream().filter(n -> n > 0).toList(); // without the ZLP
    for (int i = 0; i < sizes.size() - 1; i++) assertEquals(64 * 1024, sizes.get(i), "endpoint write " + i + " is a whole buffer");
  }

  @Test void contentThatEndsEarlyReportsWhatWasMovedAndThePhaseCanBeFilled() throws Exception {
    connect(512, 1 << 16, SMALL_BUFFERS);
    byte[] payload = pattern(200_000, 14);
    Command cmd = new Command(GET_OBJECT, 32);
    Future<Long> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) {
        long moved = out.transferFrom(trickle(payload, 150_000, 65536), payload.length, ByteBuffer.allocate(1));
        out.write(ByteBuffer.allocate(payload.length - (int) moved)); // the responder pads the rest
        return moved;
      }
    });
    byte[] got = usb.hostReceiveTransfer();
    assertEquals(150_000L, await(dev));
    assertEquals(200_012, got.length);
    assertArrayEquals(java.util.Arrays.copyOf(payload, 150_000), java.util.Arrays.copyOfRange(got, 12, 150_012));
  }

  @Test void aStorageReadFailureReachesTheCallerAsItIs() throws Exception {
    connect(512, 1 << 16, SMALL_BUFFERS);
    Command cmd = new Command(GET_OBJECT, 33);
    IOException broken = new IOException("disk on fire");
    Future<Object> dev = device(() -> {
      DataOut out = transport.sendData(cmd, 1_000_000);
      out.transferFrom(new java.nio.channels.ReadableByteChannel() {
        private int reads;

        @Override public int read(ByteBuffer dst) throws IOException {
          if (++reads > 3) throw broken;
          int n = Math.min(dst.remaining(), 50_000);
          dst.position(dst.position() + n);
          return n;
        }

        @Override public boolean isOpen() { return true; }

        @Override public void close() {}
      }, 1_000_000, ByteBuffer.allocate(1));
      return null;
    });
    assertEquals(broken, assertThrows(Exception.class, () -> await(dev)));
  }

  @Test void transferringMoreThanAnnouncedFails() throws Exception {
    connect(512);
    Command cmd = new Command(GET_OBJECT, 34);
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, 100)) {
        out.transferFrom(trickle(new byte[200], 200, 200), 200, ByteBuffer.allocate(1));
      }
      return null;
    });
    assertThrows(IOException.class, () -> await(dev));
  }

  /** A transfer buffer of 64 KiB (the least allowed), so phases longer than one buffer stay small. */
  private static final UsbMtpConfig SMALL_BUFFERS = new UsbMtpConfig(64 * 1024, 64, 28, InStallWatch.DEFAULT_STALL_MILLIS);

  @Test void unknownLengthIsSentAsFfffffffAndEndedByAZlp() throws Exception {
    connect(512, 1 << 16, SMALL_BUFFERS);
    byte[] payload = pattern(512 * 200 - 12, 10); // longer than one buffer, whole packets: needs a ZLP to end
    Command cmd = new Command(GET_OBJECT, 7);
    await(device(() -> {
      try (DataOut out = transport.sendData(cmd, DataIn.UNKNOWN_LENGTH)) {
        out.write(ByteBuffer.wrap(payload));
      }
      return null;
    }));
    byte[] t = usb.hostReceiveTransfer();
    assertEquals(0xFFFFFFFF, u32(t, 0));
    assertEquals(512 * 200, t.length);
    assertTrue(usb.lastEndedWithZlp);
  }

  @Test void unknownLengthEndsWithAShortPacket() throws Exception {
    connect(512, 1 << 16, SMALL_BUFFERS);
    byte[] payload = pattern(64 * 1024 + 700, 11);
    Command cmd = new Command(GET_OBJECT, 8);
    await(device(() -> {
      try (DataOut out = transport.sendData(cmd, DataIn.UNKNOWN_LENGTH)) {
        out.write(ByteBuffer.wrap(payload));
      }
      return null;
    }));
    byte[] t = usb.hostReceiveTransfer();
    assertEquals(0xFFFFFFFF, u32(t, 0));
    assertEquals(12 + payload.length, t.length);
    assertNull(usb.hostReceivePacket(200), "nothing after the short packet");
  }

  /**
   * libmtp reads a 0xFFFFFFFF container whose first packet is short as the start of ~4 GiB: it
   * swallows the response as data and waits 60 s for another (its cached device open of a storage
   * with one file did, before every mtp-getfile and mtp-sendfile). A phase of unknown length that
   * ends within the first buffer goes out with its exact length.
   */
  @ParameterizedTest @ValueSource(ints = {0, 300, 500, 64 * 1024 - 12})
  void unknownLengthThatFitsOneBufferIsSentWithItsExactLength(int size) throws Exception {
    connect(512, 1 << 16, SMALL_BUFFERS);
    byte[] payload = pattern(size, 12);
    Command cmd = new Command(0x9805, 21);
    await(device(() -> {
      try (DataOut out = transport.sendData(cmd, DataIn.UNKNOWN_LENGTH)) {
        out.write(ByteBuffer.wrap(payload, 0, size / 2));
        out.write(ByteBuffer.wrap(payload, size / 2, size - size / 2));
      }
      return null;
    }));
    byte[] t = usb.hostReceiveTransfer();
    assertEquals(12 + size, u32(t, 0));
    assertEquals(0x9805, u16(t, 6));
    assertEquals(21, u32(t, 8));
    assertEquals(12 + size, t.length);
    assertEquals((12 + size) % 512 == 0, usb.lastEndedWithZlp, "a ZLP ends a container of whole packets");
    assertArrayEquals(payload, java.util.Arrays.copyOfRange(t, 12, t.length));
    assertNull(usb.hostReceivePacket(200), "nothing after the end");
  }

  @Test void objectsOf4GiBAndMoreAnnounceFfffffff() throws Exception {
    connect(512, 1 << 16);
    Command cmd = new Command(GET_OBJECT, 9);
    long huge = 4L << 30;
    Future<Object> dev = device(() -> {
      DataOut out = transport.sendData(cmd, huge);
      out.write(ByteBuffer.wrap(pattern(1000, 1)));
      IOException e = assertThrows(IOException.class, out::close); // ended early: reported, transfer ended
      assertTrue(e.getMessage().contains("announced"));
      return null;
    });
    byte[] t = usb.hostReceiveTransfer();
    assertEquals(0xFFFFFFFF, u32(t, 0));
    await(dev);
  }

  @Test void writingMoreThanAnnouncedFails() throws Exception {
    connect(512, 1 << 16);
    Command cmd = new Command(GET_OBJECT, 3);
    await(device(() -> {
      DataOut out = transport.sendData(cmd, 10);
      assertThrows(IOException.class, () -> out.write(ByteBuffer.allocate(11)));
      return null;
    }));
  }

  // ---------------- data OUT phases (host to device) ----------------

  @ParameterizedTest @ValueSource(ints = {64, 512, 1024})
  void dataPhaseEndsAtTheContainerLengthAndTheTrailingZlpIsTolerated(int maxPacket) throws Exception {
    connect(maxPacket);
    byte[] payload = pattern(maxPacket * 300 - 12, 12); // whole packets: libmtp adds a ZLP
    Command cmd = new Command(SEND_OBJECT, 20);
    usb.hostSend(data(SEND_OBJECT, 20, payload), true);
    usb.hostSend(command(OPEN_SESSION, 21, 1), true);
    byte[] got = await(device(() -> {
      try (DataIn in = transport.receiveData(cmd)) {
        assertEquals(payload.length, in.length());
        return readAll(in);
      }
    }));
    assertArrayEquals(payload, got);
    await(device(() -> { transport.sendResponse(new Response(0x2001, 20)); return null; }));
    assertEquals(21, await(device(transport::receiveCommand)).transactionId());
    for (int size : usb.outReadSizes) assertEquals(0, size % maxPacket);
  }

  @Test void containerOfWholePacketsWithoutZlpDoesNotSwallowTheNextCommand() throws Exception {
    connect(512);
    byte[] payload = pattern(512 * 2 - 12, 13);
    Command cmd = new Command(SEND_OBJECT, 30);
    usb.hostSend(data(SEND_OBJECT, 30, payload), false);
    usb.hostSend(command(OPEN_SESSION, 31), false);
    byte[] got = await(device(() -> {
      try (DataIn in = transport.receiveData(cmd)) { return readAll(in); }
    }));
    assertArrayEquals(payload, got);
    assertEquals(31, await(device(transport::receiveCommand)).transactionId());
  }

  @Test void loneHeaderThenPayload() throws Exception {
    connect(512);
    byte[] payload = pattern(5000, 14);
    Command cmd = new Command(0x95C2, 40);
    usb.hostSend(dataHeader(12 + payload.length, 0x95C2, 40), false);
    usb.hostSend(payload, false);
    byte[] got = await(device(() -> {
      try (DataIn in = transport.receiveData(cmd)) { return readAll(in); }
    }));
    assertArrayEquals(payload, got);
  }

  @Test void unknownLengthOutPhaseEndsAtAShortPacket() throws Exception {
    connect(512);
    byte[] payload = pattern(512 * 200 + 77, 15);
    Command cmd = new Command(SEND_OBJECT, 41);
    byte[] container = data(SEND_OBJECT, 41, payload);
    ByteBuffer.wrap(container).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 0xFFFFFFFF);
    usb.hostSend(container, false);
    usb.hostSend(command(OPEN_SESSION, 42), false);
    byte[] got = await(device(() -> {
      try (DataIn in = transport.receiveData(cmd)) {
        assertEquals(DataIn.UNKNOWN_LENGTH, in.length());
        return readAll(in);
      }
    }));
    assertArrayEquals(payload, got);
    assertEquals(42, await(device(transport::receiveCommand)).transactionId());
  }

  @Test void unknownLengthAfterALoneHeader() throws Exception {
    connect(512);
    byte[] payload = pattern(3000, 16);
    Command cmd = new Command(SEND_OBJECT, 43);
    usb.hostSend(dataHeader(0xFFFFFFFFL, SEND_OBJECT, 43), false);
    usb.hostSend(payload, false);
    byte[] got = await(device(() -> {
      try (DataIn in = transport.receiveData(cmd)) { return readAll(in); }
    }));
    assertArrayEquals(payload, got);
  }

  @Test void mismatchedTransactionIdIsAProtocolErrorAndFramingSurvives() throws Exception {
    connect(512);
    Command cmd = new Command(SEND_OBJECT, 50);
    usb.hostSend(data(SEND_OBJECT, 49, pattern(4000, 1)), true);
    usb.hostSend(command(OPEN_SESSION, 51), true);
    Future<DataIn> f = device(() -> transport.receiveData(cmd));
    MtpProtocolException e = assertThrows(MtpProtocolException.class, () -> await(f));
    assertEquals(0x2004, e.responseCode());
    assertEquals(51, await(device(transport::receiveCommand)).transactionId());
  }

  @Test void mismatchedOperationCodeIsAProtocolError() throws Exception {
    connect(512);
    Command cmd = new Command(SEND_OBJECT, 52);
    usb.hostSend(data(0x100C, 52, pattern(100, 1)), true);
    Future<DataIn> f = device(() -> transport.receiveData(cmd));
    MtpProtocolException e = assertThrows(MtpProtocolException.class, () -> await(f));
    assertEquals(0x2002, e.responseCode());
  }

  @Test void unreadRestOfAnOutPhaseIsDiscardedOnClose() throws Exception {
    connect(512);
    Command cmd = new Command(SEND_OBJECT, 60);
    usb.hostSend(data(SEND_OBJECT, 60, pattern(300_000, 2)), true);
    usb.hostSend(command(OPEN_SESSION, 61), true);
    await(device(() -> {
      try (DataIn in = transport.receiveData(cmd)) {
        in.read(ByteBuffer.allocate(100));
      }
      transport.sendResponse(new Response(0x200C, 60));
      return null;
    }));
    assertEquals(61, await(device(transport::receiveCommand)).transactionId());
  }

  @Test void hostThatAbandonsAnUploadForANewCommandIsDetected() throws Exception {
    connect(512);
    Command cmd = new Command(SEND_OBJECT, 70);
    byte[] container = data(SEND_OBJECT, 70, pattern(1_000_000, 3));
    usb.hostSend(java.util.Arrays.copyOf(container, 512 * 100), false); // killed mid-way
    usb.hostSend(command(OPEN_SESSION, 0, 1), false);                 // the next host
    Future<Object> f = device(() -> {
      try (DataIn in = transport.receiveData(cmd)) { return readAll(in); }
    });
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(f)));
    Command next = await(device(transport::receiveCommand));
    assertEquals(OPEN_SESSION, next.code());
    assertEquals(0x2001, usb.deviceStatus(), "a silent abandon leaves the status OK");
  }

  // ---------------- small transactions stay on the protocol thread ----------------

  @Test void smallTransactionsAreWrittenAndReadByTheProtocolThread() throws Exception {
    connect(512);
    String protocolThread = await(device(() -> Thread.currentThread().getName()));
    // a dataset to the host (GetObjectInfo-sized) and its response
    usb.hostSend(command(0x1008, 120, 5), false);
    Command info = await(device(transport::receiveCommand));
    byte[] dataset = pattern(300, 3);
    device(() -> {
      try (DataOut out = transport.sendData(info, dataset.length)) { out.write(ByteBuffer.wrap(dataset)); }
      transport.sendResponse(new Response(0x2001, 120));
      return null;
    });
    byte[] got = usb.hostReceiveTransfer();
    assertArrayEquals(dataset, java.util.Arrays.copyOfRange(got, 12, got.length));
    assertEquals(3, u16(usb.hostReceiveTransfer(), 4));
    // a dataset from the host bigger than one packet (SendObjectInfo-sized)
    usb.hostSend(command(0x100C, 121, 1, 0xFFFFFFFF), false);
    Command send = await(device(transport::receiveCommand));
    byte[] objectInfo = pattern(700, 4);
    usb.hostSend(data(0x100C, 121, objectInfo), true);
    byte[] received = (byte[]) await(device(() -> {
      try (DataIn in = transport.receiveData(send)) { return readAll(in); }
    }));
    assertArrayEquals(objectInfo, received);
    assertEquals(List.of(protocolThread), usb.inWriteThreads.stream().distinct().toList(),
        "no hand-off to the bulk I/O thread for a small data phase or a response");
    assertEquals(List.of(protocolThread), usb.outReadThreads.stream().distinct().toList(),
        "commands and a small host data phase are read by the protocol thread");
  }

  // ---------------- a host that leaves mid-download ----------------

  private static UsbMtpConfig quickStall() { return new UsbMtpConfig(128 * 1024, 64, 28, 200); }

  @Test void hostThatLeavesDuringADownloadIsDetected() throws Exception {
    connect(512, 4, quickStall()); // the killed tool reads nothing more
    usb.hostSend(command(GET_OBJECT, 110, 1), false);
    Command cmd = await(device(transport::receiveCommand));
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, 10_000_000)) {
        byte[] chunk = new byte[65536];
        for (int i = 0; i < 150; i++) out.write(ByteBuffer.wrap(chunk));
      }
      return null;
    });
    awaitStallWatch();
    usb.hostSend(command(OPEN_SESSION, 0, 1), false); // the next tool starts
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(dev)));
    Command next = await(device(transport::receiveCommand));
    assertEquals(OPEN_SESSION, next.code());
    assertEquals(0x2001, usb.deviceStatus(), "an abandoned transaction leaves the status OK");
  }

  @Test void hostThatLeavesBeforeReadingTheResponseIsDetected() throws Exception {
    connect(512, 1, quickStall());
    usb.hostSend(command(0x1001, 111), false);
    Command cmd = await(device(transport::receiveCommand));
    usb.in.put(new byte[1]); // the IN queue is full: nothing the device writes gets through
    Future<Object> dev = device(() -> { transport.sendResponse(new Response(0x2001, 111)); return null; });
    awaitStallWatch();
    usb.hostSend(command(OPEN_SESSION, 0, 1), false);
    await(dev); // the response is dropped quietly
    assertEquals(OPEN_SESSION, await(device(transport::receiveCommand)).code());
  }

  @Test void aSlowHostIsNotTakenForOneThatLeft() throws Exception {
    connect(512, 4, quickStall());
    usb.hostSend(command(GET_OBJECT, 112, 1), false);
    Command cmd = await(device(transport::receiveCommand));
    byte[] payload = pattern(300_000, 21);
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, payload.length)) { out.write(ByteBuffer.wrap(payload)); }
      transport.sendResponse(new Response(0x2001, 112));
      return null;
    });
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    // The host pauses until the device takes it for stalled and watches the OUT pipe, then reads
    // on: at the start and every 50 KB, so the watchdog's reads are taken back again and again.
    awaitStallWatch();
    int pauses = 1;
    while (got.size() < payload.length + 12) {
      byte[] p = usb.hostReceivePacket(5000);
      got.write(p);
      if (got.size() % 51200 < 512 && got.size() + 8192 < payload.length) {
        awaitStallWatch();
        pauses++;
      }
    }
    assertTrue(pauses >= 5, pauses + " pauses");
    await(dev);
    byte[] response = usb.hostReceiveTransfer();
    assertEquals(3, u16(response, 4));
    byte[] all = got.toByteArray();
    assertArrayEquals(payload, java.util.Arrays.copyOfRange(all, 12, all.length));
    usb.hostSend(command(OPEN_SESSION, 113), false);
    assertEquals(113, await(device(transport::receiveCommand)).transactionId());
  }

  // ---------------- cancel, reset, disconnect ----------------

  @Test void cancelDuringAnInPhaseAbortsTheWriteAndSuppressesTheResponse() throws Exception {
    connect(512, 4); // the host reads nothing: the device blocks after 4 packets
    usb.hostSend(command(GET_OBJECT, 80, 1), false);
    Command cmd = await(device(transport::receiveCommand));
    CompletableFuture<Void> writing = new CompletableFuture<>();
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, 10_000_000)) {
        writing.complete(null);
        byte[] chunk = new byte[65536];
        for (int i = 0; i < 200; i++) out.write(ByteBuffer.wrap(chunk));
      } catch (TransactionCancelledException e) {
        transport.sendResponse(new Response(0x201F, 80)); // a careless handler: must not reach the host
        throw e;
      }
      return null;
    });
    writing.get(5, TimeUnit.SECONDS);
    awaitDeviceParked(); // the IN queue is full
    ControlReply ack = usb.cancel(80);
    assertFalse(ack.stalled());
    usb.cancel(80); // libmtp may send it twice
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(dev)));
    assertEquals(0x2019, usb.deviceStatus(), "busy until the protocol thread is back at a command boundary");
    usb.hostSend(command(OPEN_SESSION, 81), false);
    Future<Command> next = device(transport::receiveCommand);
    assertEquals(81, await(next).transactionId());
    assertEquals(0x201F, usb.deviceStatus());
    assertEquals(0x2001, usb.deviceStatus(), "Transaction Cancelled is reported once");
    // nothing of the cancelled phase nor a response for it is left for the host
    byte[] stale;
    while ((stale = usb.hostReceivePacket(100)) != null) {
      assertFalse(stale.length == 12 && u16(stale, 4) == 3, "no response for the cancelled transaction");
    }
  }

  @Test void cancelDuringAnOutPhaseAbortsTheRead() throws Exception {
    connect(512);
    usb.hostSend(command(SEND_OBJECT, 90), false);
    Command cmd = await(device(transport::receiveCommand));
    byte[] container = data(SEND_OBJECT, 90, pattern(1_000_000, 4));
    usb.hostSend(java.util.Arrays.copyOf(container, 512 * 10), false); // then the host stops
    CompletableFuture<Void> reading = new CompletableFuture<>();
    Future<Object> dev = device(() -> {
      try (DataIn in = transport.receiveData(cmd)) {
        reading.complete(null);
        return readAll(in);
      }
    });
    reading.get(5, TimeUnit.SECONDS);
    awaitDeviceParked(); // the ten packets are read, the host sends no more
    usb.cancel(90);
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(dev)));
    usb.hostSend(pattern(512 * 3, 5), false); // packets that were already in flight
    usb.hostSend(command(OPEN_SESSION, 91), false);
    assertEquals(91, await(device(transport::receiveCommand)).transactionId());
  }

  @Test void cancelBeforeTheDataPhaseStartsFailsItAtOnce() throws Exception {
    connect(512);
    usb.hostSend(command(GET_OBJECT, 95, 1), false);
    Command cmd = await(device(transport::receiveCommand));
    usb.cancel(95);
    Future<DataOut> f = device(() -> transport.sendData(cmd, 100));
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(f)));
  }

  /**
   * The host sends a command and at once a Cancel for it; the control thread can see the Cancel
   * before the protocol thread has picked the command up. The transaction must still be cancelled
   * (its data phase refused, no response), not served as if no cancel had come.
   */
  @Test void cancelThatOvertakesItsCommandStillCancelsIt() throws Exception {
    connect(512);
    usb.hostSend(command(0x9805, 97, 0xFFFFFFFF, 0, 0xFFFFFFFF, 0, 1), false);
    usb.cancel(97); // before the device has read the command
    Command cmd = await(device(transport::receiveCommand));
    assertEquals(97, cmd.transactionId());
    Future<DataOut> f = device(() -> transport.sendData(cmd, 100));
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(f)));
    // a Cancel for a transaction that already ended does not hit the next one
    usb.hostSend(command(GET_OBJECT, 98, 1), false);
    assertEquals(98, await(device(transport::receiveCommand)).transactionId());
    await(device(() -> {
      transport.sendResponse(new Response(0x2001, 98));
      return null;
    }));
    assertEquals(12, usb.hostReceiveTransfer().length);
    usb.cancel(98); // late: 98 is over
    usb.hostSend(command(GET_OBJECT, 99, 1), false);
    Command next = await(device(transport::receiveCommand));
    assertEquals(99, next.transactionId());
    await(device(() -> {
      try (DataOut out = transport.sendData(next, 3)) { out.write(ByteBuffer.wrap(new byte[] {1, 2, 3})); }
      transport.sendResponse(new Response(0x2001, 99));
      return null;
    }));
    assertEquals(15, usb.hostReceiveTransfer().length);
    assertEquals(12, usb.hostReceiveTransfer().length);
  }

  /** CopyObject of a big tree has no data phase: the handler asks between objects, and must hear a Cancel or a reset. */
  @Test void aCancelOrResetReachesAHandlerWithoutDataPhase() throws Exception {
    connect(512);
    usb.hostSend(command(0x101A, 101, 5, 0x00010001, 0), false);
    Command cmd = await(device(transport::receiveCommand));
    await(device(() -> {
      transport.checkCancelled(cmd); // nothing yet
      return null;
    }));
    usb.cancel(101);
    assertInstanceOf(TransactionCancelledException.class, assertThrows(Exception.class, () -> await(device(() -> {
      transport.checkCancelled(cmd);
      return null;
    }))));
    usb.hostSend(command(0x101A, 102, 5, 0x00010001, 0), false);
    Command next = await(device(transport::receiveCommand));
    assertFalse(usb.control(0x21, 0x66, 0, 0, null).stalled()); // Device Reset
    assertInstanceOf(TransportResetException.class, assertThrows(Exception.class, () -> await(device(() -> {
      transport.checkCancelled(next);
      return null;
    }))));
  }

  @Test void cancelForAnotherTransactionIsIgnored() throws Exception {
    connect(512);
    usb.hostSend(command(GET_OBJECT, 96, 1), false);
    Command cmd = await(device(transport::receiveCommand));
    usb.cancel(12345);
    await(device(() -> {
      try (DataOut out = transport.sendData(cmd, 3)) { out.write(ByteBuffer.wrap(new byte[] {1, 2, 3})); }
      transport.sendResponse(new Response(0x2001, 96));
      return null;
    }));
    assertEquals(15, usb.hostReceiveTransfer().length);
    assertEquals(12, usb.hostReceiveTransfer().length);
    assertEquals(0x2001, usb.deviceStatus());
  }

  @Test void deviceResetEndsTheSessionAndTheNextHostIsServed() throws Exception {
    connect(512);
    Future<Command> waiting = device(transport::receiveCommand);
    awaitDeviceParked();
    assertFalse(usb.control(0x21, 0x66, 0, 0, null).stalled());
    assertInstanceOf(TransportResetException.class, assertThrows(Exception.class, () -> await(waiting)));
    usb.hostSend(command(OPEN_SESSION, 0, 1), false);
    assertEquals(OPEN_SESSION, await(device(transport::receiveCommand)).code());
  }

  @Test void disableDuringADataPhaseResetsAndReEnableServesTheNextHost() throws Exception {
    connect(512, 4);
    Command cmd = new Command(GET_OBJECT, 100);
    Future<Object> dev = device(() -> {
      try (DataOut out = transport.sendData(cmd, 1_000_000)) {
        out.write(ByteBuffer.wrap(new byte[1_000_000]));
      }
      return null;
    });
    awaitDeviceParked(); // the IN queue is full
    usb.listener.onDisable();
    assertInstanceOf(TransportResetException.class, assertThrows(Exception.class, () -> await(dev)));
    Future<Command> next = device(transport::receiveCommand);
    awaitDeviceParked();
    assertFalse(next.isDone(), "waits for the host to configure the function again");
    usb.in.resume();
    usb.enable();
    usb.hostSend(command(OPEN_SESSION, 0, 1), false);
    assertEquals(OPEN_SESSION, await(next).code());
  }

  @Test void unbindWhileIdleIsAReset() throws Exception {
    connect(512);
    Future<Command> waiting = device(transport::receiveCommand);
    awaitDeviceParked();
    usb.listener.onUnbind();
    assertInstanceOf(TransportResetException.class, assertThrows(Exception.class, () -> await(waiting)));
  }

  @Test void closeEndsABlockedReceiveForGood() throws Exception {
    connect(512);
    Future<Command> waiting = device(transport::receiveCommand);
    awaitDeviceParked();
    transport.close();
    assertInstanceOf(TransportClosedException.class, assertThrows(Exception.class, () -> await(waiting)));
  }

  // ---------------- class requests ----------------

  @Test void deviceStatusHonoursAnyLengthOfAtLeastFour() throws Exception {
    connect(512);
    for (int len : new int[] {4, 8, 20, 64}) {
      ControlReply r = usb.control(0xA1, 0x67, 0, len, null);
      assertFalse(r.stalled());
      assertEquals(4, r.data().remaining());
      assertEquals(4, r.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort(0));
      assertEquals(0x2001, r.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort(2));
    }
    assertTrue(usb.control(0xA1, 0x67, 0, 2, null).stalled());
  }

  @Test void extendedEventDataIsAZeroedBlock() throws Exception {
    connect(512);
    ControlReply r = usb.control(0xA1, 0x65, 0, 32, null);
    assertFalse(r.stalled());
    assertEquals(32, r.data().remaining());
    while (r.data().hasRemaining()) assertEquals(0, r.data().get());
  }

  @Test void malformedCancelAndUnknownRequestsStall() throws Exception {
    connect(512);
    assertTrue(usb.control(0x21, 0x64, 0, 6, new byte[] {1, 2, 3, 4, 5, 6}).stalled());
    assertTrue(usb.control(0x21, 0x64, 0, 2, new byte[] {1, 0x40}).stalled());
    assertTrue(usb.control(0x21, 0x42, 0, 0, null).stalled());
    assertTrue(usb.control(0xC0, 0x54, 0, 4, null).stalled());
  }

  // ---------------- events ----------------

  @Test void eventsGoOutOnTheInterruptPipe() throws Exception {
    connect(512);
    transport.sendEvent(new Event(0x4002, 0, 0x1234));
    byte[] p = usb.interrupt.take(5000);
    assertEquals(16, p.length);
    assertEquals(4, u16(p, 4));
    assertEquals(0x4002, u16(p, 6));
    assertEquals(0x1234, u32(p, 12));
  }

  @Test void aHostThatNeverReadsEventsBlocksNothing() throws Exception {
    connect(512);
    long start = System.nanoTime();
    for (int i = 0; i < 10_000; i++) transport.sendEvent(new Event(0x4002, 0, i));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "sendEvent must never block");
    assertTrue(transport.droppedEvents() > 0, "overflowing events are dropped");
    // the protocol still works
    usb.hostSend(command(OPEN_SESSION, 0, 1), false);
    assertEquals(OPEN_SESSION, await(device(transport::receiveCommand)).code());
  }

  @Test void largeTransfersBothWaysArriveIntact() throws Exception {
    connect(512, 1 << 20);
    byte[] payload = pattern(5 * 1024 * 1024 + 3, 17);
    Command get = new Command(GET_OBJECT, 200);
    await(device(() -> {
      try (DataOut out = transport.sendData(get, payload.length)) { writeAll(out, payload, 100_000); }
      return null;
    }));
    byte[] t = usb.hostReceiveTransfer();
    assertArrayEquals(payload, java.util.Arrays.copyOfRange(t, 12, t.length));

    Command send = new Command(SEND_OBJECT, 201);
    Thread host = new Thread(() -> {
      try {
        usb.hostSend(data(SEND_OBJECT, 201, payload), true);
      } catch (InterruptedException ignored) {
        // test ends
      }
    });
    host.start();
    byte[] got = await(device(() -> {
      try (DataIn in = transport.receiveData(send)) { return readAll(in); }
    }));
    assertArrayEquals(payload, got);
    host.join(5000);
  }

  @SuppressWarnings("unused")
  private static void ignore(TimeoutException e) {}
}
