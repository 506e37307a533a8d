package io.mtpbridge.host;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransactionFramingTest {
  private static final int GET_OBJECT = 0x1009;

  @Test
  void dataContainerOfAPacketMultipleIsFollowedByAZlpThatTheInitiatorConsumes() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link, 1000, 1024);
    byte[] payload = new byte[1024 - 12];
    new Random(3).nextBytes(payload);
    link.deviceSends(ScriptedLink.container(2, GET_OBJECT, 0, payload, 1024), true);
    link.deviceSends(ScriptedLink.response(0x2001, 0), false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(payload.length, init.getObject(7, Channels.newChannel(out)));
    assertArrayEquals(payload, out.toByteArray());
    assertTrue(link.inPackets.isEmpty());
  }

  @Test
  void unknownLengthDataEndsAtTheShortPacket() throws Exception {
    ScriptedLink link = new ScriptedLink(64);
    MtpInitiator init = new MtpInitiator(link, 1000, 128);
    byte[] payload = new byte[300];
    link.deviceSends(ScriptedLink.container(2, GET_OBJECT, 0, payload, 0xFFFFFFFFL), true);
    link.deviceSends(ScriptedLink.response(0x2001, 0), false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(300, init.getObject(1, Channels.newChannel(out)));
  }

  @Test
  void anErrorResponseInsteadOfDataIsReported() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link);
    link.deviceSends(ScriptedLink.response(0x2009, 0), false);
    MtpResponseException e = assertThrows(MtpResponseException.class, () -> init.getObject(99, Channels.newChannel(new ByteArrayOutputStream())));
    assertEquals(0x2009, e.responseCode());
    assertTrue(e.getMessage().contains("InvalidObjectHandle"), e.getMessage());
  }

  @Test
  void dataForAnotherTransactionIsAViolation() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link);
    link.deviceSends(ScriptedLink.container(2, GET_OBJECT, 5, new byte[4], 16), true);
    assertThrows(MtpProtocolViolationException.class, () -> init.getObject(1, Channels.newChannel(new ByteArrayOutputStream())));
  }

  @Test
  void sentDataPutsHeaderAndFirstBytesTogetherAndEndsAPacketMultipleWithAZlp() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link, 1000, 1024);
    link.deviceSends(ScriptedLink.response(0x2001, 0), false);
    byte[] data = new byte[2048 - 12];
    init.sendObject(Channels.newChannel(new java.io.ByteArrayInputStream(data)), data.length);
    // command, then 1024 (header + 1012 data), then 1024, then the ZLP: 2048 is a packet multiple
    assertEquals(4, link.outTransfers.size());
    assertEquals(12, link.outTransfers.get(0).length, "SendObject has no parameters");
    ByteBuffer first = ByteBuffer.wrap(link.outTransfers.get(1)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1024, first.remaining());
    assertEquals(2048, first.getInt());
    assertEquals(2, first.getShort());
    assertEquals(0x100D, first.getShort());
    assertEquals(1024, link.outTransfers.get(2).length);
    assertEquals(0, link.outTransfers.get(3).length);
  }

  @Test
  void aSourceThatEndsEarlyCancelsTheTransaction() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link, 1000, 1024);
    Exception e = assertThrows(Exception.class,
        () -> init.sendObject(Channels.newChannel(new java.io.ByteArrayInputStream(new byte[10])), 5000));
    assertTrue(e.getMessage().contains("ended after 10 of 5000"), e.getMessage());
    assertTrue(link.controls.contains("21/64"), "Cancel class request sent");
    assertTrue(link.controls.contains("A1/67"), "device status polled");
  }

  @Test
  void aLateResponseOfACancelledTransactionIsDropped() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link, 1000, 1024);
    link.deviceSends(ScriptedLink.response(0x2001, 0), false);
    init.openSession(1);
    Transaction t = init.begin(0x100D);
    t.cancel();
    link.deviceSends(ScriptedLink.response(0x2001, t.id()), false); // the device finished it anyway
    link.deviceSends(ScriptedLink.response(0x2001, t.id() + 1, 5), false);
    assertEquals(5, init.call(0x1006, 0, 0, 0).param(0));
  }

  @Test
  void aLateDataPhaseOfACancelledTransactionIsDropped() throws Exception {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator init = new MtpInitiator(link, 1000, 1024);
    link.deviceSends(ScriptedLink.response(0x2001, 0), false);
    init.openSession(1);
    Transaction t = init.begin(0x9805);
    t.cancel();
    // the device queued the dataset and its response only after the drain gave up
    link.deviceSends(ScriptedLink.container(2, 0x9805, t.id(), new byte[3000 - 12], 3000), true);
    link.deviceSends(ScriptedLink.response(0x2001, t.id()), false);
    link.deviceSends(ScriptedLink.container(2, 0x9805, t.id(), new byte[2048 - 12], 2048), true);
    link.deviceSends(ScriptedLink.container(2, 0x9805, t.id(), new byte[700], 0xFFFFFFFFL), true);
    link.deviceSends(ScriptedLink.response(0x2001, t.id() + 1, 5), false);
    assertEquals(5, init.call(0x1006, 0, 0, 0).param(0));
    assertTrue(link.inPackets.isEmpty());
  }

  @Test
  void uint32ArraysAreCheckedAgainstTheirCount() throws Exception {
    assertArrayEquals(new int[] {1, 2}, MtpInitiator.uint32Array(MtpInitiator.uint32ArrayDataset(new int[] {1, 2})));
    assertThrows(MtpProtocolViolationException.class, () -> MtpInitiator.uint32Array(new byte[] {5, 0, 0, 0, 1, 0, 0, 0}));
    assertThrows(MtpProtocolViolationException.class, () -> MtpInitiator.uint32Array(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
  }
}
