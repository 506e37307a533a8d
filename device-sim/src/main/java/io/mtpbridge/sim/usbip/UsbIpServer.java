package io.mtpbridge.sim.usbip;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A USB/IP device server (the role of the kernel's usbip-host driver plus usbipd) exporting the
 * simulated MTP device, so {@code usbip attach} on a Linux host turns it into a real USB device.
 * One host imports the device at a time; after it detaches (or its connection drops) the device is
 * unplugged and the next host may import it. Device-list queries are answered at any time.
 */
public final class UsbIpServer implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(UsbIpServer.class);

  private final ExportedDevice device;
  private final InetSocketAddress bindAddress;
  private final AtomicBoolean imported = new AtomicBoolean();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private ServerSocket server;
  private Thread acceptor;
  private volatile boolean closed;

  public UsbIpServer(ExportedDevice device, InetSocketAddress bindAddress) {
    this.device = device;
    this.bindAddress = bindAddress;
  }

  /** Binds and starts accepting. Binding beyond loopback is allowed but warned about: USB/IP has no authentication. */
  public void start() throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    try {
      server.bind(bindAddress);
    } catch (IOException e) {
      throw new IOException("cannot listen on " + bindAddress + " (" + e.getMessage()
          + "); choose another port with --usbip-port or stop what holds it", e);
    }
    InetAddress a = server.getInetAddress();
    if (!a.isLoopbackAddress()) {
      log.warn("USB/IP server listens on {}: any machine that reaches this address can attach the device and read "
          + "its storages; USB/IP has no authentication. Use --usbip-address 127.0.0.1 unless you mean it.", a.getHostAddress());
    }
    acceptor = new Thread(this::acceptLoop, "usbip-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() { return server.getLocalPort(); }

  public InetSocketAddress address() { return (InetSocketAddress) server.getLocalSocketAddress(); }

  public ExportedDevice device() { return device; }

  /** True while a host has the device imported. */
  public boolean isImported() { return imported.get(); }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!closed) log.warn("USB/IP accept failed: {}", e.toString());
        return;
      }
      connections.add(s);
      Thread t = new Thread(() -> serve(s), "usbip-conn-" + s.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      new UsbIpConnection(this, s).run();
    } catch (IOException e) {
      log.debug("USB/IP connection {} ended: {}", s.getRemoteSocketAddress(), e.toString());
    } finally {
      connections.remove(s);
    }
  }

  /** Claims the device for one importing host; false when another host has it. */
  boolean claim() { return imported.compareAndSet(false, true); }

  /** The importing host detached: the device is unplugged and available again. */
  void release() {
    device.udc().hostPort().unplug();
    imported.set(false);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (server != null) server.close();
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
