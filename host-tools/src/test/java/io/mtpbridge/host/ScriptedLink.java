package io.mtpbridge.host;

import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A device that replays scripted IN packets (whole packets, so a read ends at a short one or a
 * ZLP exactly as on USB) and records every OUT transfer and control request.
 */
final class ScriptedLink implements InitiatorLink {
  final int maxPacket;
  final ArrayDeque<byte[]> inPackets = new ArrayDeque<>();
  final List<byte[]> outTransfers = new ArrayList<>();
  final List<String> controls = new ArrayList<>();
  int deviceStatus = 0x2001;

  ScriptedLink(int maxPacket) { this.maxPacket = maxPacket; }

  /** Queues a device transfer of {@code data}, split into packets, with a ZLP when it is a packet multiple and {@code zlp}. */
  void deviceSends(byte[] data, boolean zlp) {
    for (int off = 0; off < data.length; off += maxPacket) {
      int n = Math.min(maxPacket, data.length - off);
      byte[] p = new byte[n];
      System.arraycopy(data, off, p, 0, n);
      inPackets.add(p);
    }
    if (data.length == 0 || (zlp && data.length % maxPacket == 0)) inPackets.add(new byte[0]);
  }

  static byte[] container(int type, int code, int tid, byte[] payload, long lengthField) {
    ByteBuffer b = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) lengthField).putShort((short) type).putShort((short) code).putInt(tid).put(payload);
    return b.array();
  }

  static byte[] response(int code, int tid, int... params) {
    ByteBuffer b = ByteBuffer.allocate(4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int p : params) b.putInt(p);
    return container(3, code, tid, b.array(), 12 + 4L * params.length);
  }

  @Override public int bulkMaxPacket() { return maxPacket; }

  @Override public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) {
    byte[] b = new byte[src.remaining()];
    src.get(b);
    outTransfers.add(b);
    if (zeroPacket && b.length > 0 && b.length % maxPacket == 0) outTransfers.add(new byte[0]);
  }

  @Override public int bulkIn(ByteBuffer dst, long timeoutMillis) throws UsbTransferException {
    int total = 0;
    while (true) {
      byte[] p = inPackets.peek();
      if (p == null) {
        if (total > 0) return total;
        throw new UsbTransferException(TransferStatus.TIMEOUT, 0, "script exhausted");
      }
      if (p.length > dst.remaining()) throw new UsbTransferException(TransferStatus.OVERFLOW, total, "packet too big");
      inPackets.poll();
      dst.put(p);
      total += p.length;
      if (p.length < maxPacket || !dst.hasRemaining()) return total;
    }
  }

  @Override public int interruptIn(ByteBuffer dst, long timeoutMillis) throws UsbTransferException {
    throw new UsbTransferException(TransferStatus.TIMEOUT, 0, "no events");
  }

  @Override public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) {
    controls.add(String.format("%02X/%02X", requestType, request));
    if (request == 0x67) {
      data.order(ByteOrder.LITTLE_ENDIAN).putShort((short) 4).putShort((short) deviceStatus);
      return 4;
    }
    int n = data.remaining();
    data.position(data.limit());
    return n;
  }

  @Override public void close() {}
}
