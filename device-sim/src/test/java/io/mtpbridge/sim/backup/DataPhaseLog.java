package io.mtpbridge.sim.backup;

import io.mtpbridge.host.link.InitiatorLink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An initiator link that passes everything through and notes the length field of every data
 * container header it sees, so tests can check that archives stream with 0xFFFFFFFF.
 */
final class DataPhaseLog implements InitiatorLink {
  /** One data container header seen on the bulk pipes. */
  record Header(boolean toDevice, int operation, long length) {}

  private final InitiatorLink link;
  private final List<Header> headers = new ArrayList<>();

  DataPhaseLog(InitiatorLink link) { this.link = link; }

  synchronized List<Header> headers(int operation) {
    return headers.stream().filter(h -> h.operation() == operation).toList();
  }

  private synchronized void note(boolean toDevice, ByteBuffer b, int from, int to) {
    if (to - from < 12) return;
    ByteBuffer h = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int type = h.getShort(from + 4) & 0xFFFF;
    int code = h.getShort(from + 6) & 0xFFFF;
    // Only the vendor backup operations: their data phases are what these tests look at.
    if (type == 2 && code >= 0x9A01 && code <= 0x9A07) headers.add(new Header(toDevice, code, h.getInt(from) & 0xFFFFFFFFL));
  }

  @Override public int bulkMaxPacket() { return link.bulkMaxPacket(); }

  @Override public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws IOException {
    note(true, src, src.position(), src.limit());
    link.bulkOut(src, zeroPacket, timeoutMillis);
  }

  @Override public int bulkIn(ByteBuffer dst, long timeoutMillis) throws IOException {
    int start = dst.position();
    int n = link.bulkIn(dst, timeoutMillis);
    note(false, dst, start, start + n);
    return n;
  }

  @Override public int interruptIn(ByteBuffer dst, long timeoutMillis) throws IOException { return link.interruptIn(dst, timeoutMillis); }

  @Override public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws IOException {
    return link.control(requestType, request, value, index, data, timeoutMillis);
  }

  @Override public void close() throws IOException { link.close(); }
}
