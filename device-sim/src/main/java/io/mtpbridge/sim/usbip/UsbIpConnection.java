package io.mtpbridge.sim.usbip;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One TCP connection: an OP_REQ_DEVLIST query, or an OP_REQ_IMPORT followed by the URB traffic. */
final class UsbIpConnection {
  private static final Logger log = LoggerFactory.getLogger(UsbIpConnection.class);

  private final UsbIpServer server;
  private final Socket socket;

  UsbIpConnection(UsbIpServer server, Socket socket) {
    this.server = server;
    this.socket = socket;
  }

  /** A client gets this long to send its operation request; an idle socket is not kept forever. */
  static final int OPERATION_TIMEOUT_MILLIS = 30_000;

  void run() throws IOException {
    socket.setSoTimeout(OPERATION_TIMEOUT_MILLIS);
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    int version = in.readUnsignedShort();
    int code = in.readUnsignedShort();
    in.readInt(); // status, unused in requests
    if (version != UsbIpProtocol.VERSION) {
      log.info("USB/IP client speaks version {}, we speak {}; trying anyway", Integer.toHexString(version), Integer.toHexString(UsbIpProtocol.VERSION));
    }
    switch (code) {
      case UsbIpProtocol.OP_REQ_DEVLIST -> replyDeviceList();
      case UsbIpProtocol.OP_REQ_IMPORT -> importDevice(in);
      default -> log.warn("USB/IP client {} sent unknown operation 0x{}; closing", socket.getRemoteSocketAddress(), Integer.toHexString(code));
    }
  }

  private void replyDeviceList() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(12 + UsbIpProtocol.DEVICE_STRUCT_SIZE + 4);
    b.putShort((short) UsbIpProtocol.VERSION).putShort((short) UsbIpProtocol.OP_REP_DEVLIST).putInt(UsbIpProtocol.ST_OK).putInt(1);
    server.device().writeDevice(b, true);
    socket.getOutputStream().write(b.array(), 0, b.position());
    socket.getOutputStream().flush();
  }

  private void importDevice(DataInputStream in) throws IOException {
    byte[] raw = new byte[UsbIpProtocol.BUSID_SIZE];
    in.readFully(raw);
    int len = 0;
    while (len < raw.length && raw[len] != 0) len++;
    String busId = new String(raw, 0, len, StandardCharsets.US_ASCII);
    ExportedDevice device = server.device();
    int status;
    if (!busId.equals(device.busId())) {
      log.info("USB/IP import of unknown bus id '{}' refused (we export {})", busId, device.busId());
      status = UsbIpProtocol.ST_NA;
    } else if (!server.claim()) {
      log.info("USB/IP import of {} refused: another host has it attached", busId);
      status = UsbIpProtocol.ST_DEV_BUSY;
    } else {
      status = UsbIpProtocol.ST_OK;
    }
    ByteBuffer b = ByteBuffer.allocate(8 + UsbIpProtocol.DEVICE_STRUCT_SIZE);
    b.putShort((short) UsbIpProtocol.VERSION).putShort((short) UsbIpProtocol.OP_REP_IMPORT).putInt(status);
    if (status != UsbIpProtocol.ST_OK) {
      socket.getOutputStream().write(b.array(), 0, b.position());
      socket.getOutputStream().flush();
      return;
    }
    try {
      socket.setSoTimeout(0); // an attached host may be silent for as long as it likes
      // A fresh attach is a fresh plug-in: whatever the previous host configured is gone.
      device.udc().hostPort().unplug();
      device.writeDevice(b, false);
      socket.getOutputStream().write(b.array(), 0, b.position());
      socket.getOutputStream().flush();
      log.info("USB/IP host {} attached {}", socket.getRemoteSocketAddress(), busId);
      new UrbSession(device, in, socket.getOutputStream()).run();
    } finally {
      server.release();
      log.info("USB/IP host {} detached {}", socket.getRemoteSocketAddress(), busId);
    }
  }
}
