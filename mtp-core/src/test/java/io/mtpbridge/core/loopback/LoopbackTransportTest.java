package io.mtpbridge.core.loopback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.core.transport.TransportClosedException;
import io.mtpbridge.core.transport.TransportResetException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The loopback transport itself, driven by a scripted device side: data both ways, faults where
 * asked, and every protocol mistake of the device recorded (so tests using it can fail).
 */
class LoopbackTransportTest {

  /** Runs {@code device} against the link on another thread. */
  interface Device { void run(LoopbackTransport t) throws Exception; }

  static CompletableFuture<Void> device(LoopbackTransport link, Device d) {
    return CompletableFuture.runAsync(() -> {
      try {
        d.run(link);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  @Test
  void dataBothWaysAndEvents() throws Exception {
    LoopbackTransport link = new LoopbackTransport();
    var dev = device(link, t -> {
      Command c = t.receiveCommand();
      DataIn in = t.receiveData(c);
      ByteBuffer b = ByteBuffer.allocate(16);
      while (in.read(b) >= 0) { }
      in.close();
      t.sendEvent(new Event(0x4002, 0, 7));
      t.sendResponse(new Response(0x2001, c.transactionId(), b.position()));
      Command g = t.receiveCommand();
      DataOut out = t.sendData(g, 3);
      out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      out.close();
      t.sendResponse(new Response(0x2001, g.transactionId()));
    });
    LoopbackExchange put = link.transact(LoopbackRequest.of(0x100D, 1).data(new byte[] {9, 9, 9, 9, 9}));
    assertEquals(5, put.param(0));
    assertEquals(5, put.bytesToDevice());
    LoopbackExchange get = link.transact(0x1009, 2, 1);
    assertArrayEquals(new byte[] {1, 2, 3}, get.data());
    assertEquals(3, get.announcedLength());
    assertEquals(0x4002, link.pollEvent(1, TimeUnit.SECONDS).code());
    dev.get(5, TimeUnit.SECONDS);
    assertEquals(0, link.violations().size());
  }

  @Test
  void cancelAfterBytesStopsTheDataPhaseAndAResponseToItIsAViolation() throws Exception {
    LoopbackTransport link = new LoopbackTransport();
    var dev = device(link, t -> {
      Command c = t.receiveCommand();
      DataOut out = t.sendData(c, 100);
      int sent = out.write(ByteBuffer.allocate(100));
      assertEquals(40, sent, "only the bytes before the fault move");
      assertThrows(TransactionCancelledException.class, () -> out.write(ByteBuffer.allocate(60)));
      t.sendResponse(new Response(0x2001, c.transactionId())); // wrong: no response after a cancel
    });
    LoopbackExchange x = link.transact(LoopbackRequest.of(0x1009, 1, 1).cancelAfterBytes(40));
    dev.get(5, TimeUnit.SECONDS);
    assertTrue(x.cancelled());
    assertEquals(40, x.bytesFromDevice());
    assertEquals(1, link.violations().size(), link.violations().toString());
  }

  @Test
  void shortDataPhaseAndWrongTransactionIdAreViolations() throws Exception {
    LoopbackTransport link = new LoopbackTransport();
    var dev = device(link, t -> {
      Command c = t.receiveCommand();
      DataOut out = t.sendData(c, 10);
      out.write(ByteBuffer.allocate(4));
      assertThrows(java.io.IOException.class, out::close);
      t.sendResponse(new Response(0x2001, c.transactionId() + 1));
    });
    link.transact(0x1009, 1, 1);
    dev.get(5, TimeUnit.SECONDS);
    assertEquals(2, link.violations().size(), link.violations().toString());
  }

  @Test
  void resetAndCloseReachTheDevice() throws Exception {
    LoopbackTransport link = new LoopbackTransport();
    link.reset();
    var dev = device(link, t -> {
      assertThrows(TransportResetException.class, t::receiveCommand);
      Command c = t.receiveCommand();
      assertThrows(TransportResetException.class, () -> t.receiveData(c));
      assertThrows(TransportClosedException.class, t::receiveCommand);
    });
    LoopbackExchange x = link.transact(LoopbackRequest.of(0x100D, 1).data(new byte[3]).resetAt(FaultPoint.DATA_PHASE_START));
    assertTrue(x.reset());
    link.close();
    dev.get(5, TimeUnit.SECONDS);
    assertEquals(0, link.violations().size());
  }
}
