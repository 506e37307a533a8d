package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import io.mtpbridge.backup.registration.Registration;
import io.mtpbridge.backup.registration.UnixUsers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts out-of-process owners on a Unix domain socket. The first frame must be a hello naming a
 * registered active owner, within a few seconds; the kernel-reported peer uid (SO_PEERCRED) must
 * equal the registration's uid. Otherwise the peer gets a refusal with the reason, the attempt is
 * logged, and the connection is closed.
 */
final class OwnerSocketServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwnerSocketServer.class);
  private static final long HELLO_TIMEOUT_MS = 5000;

  private final Path path;
  private final ServerSocketChannel server;
  private final OwnerDirectory directory;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "backup-socket-timer");
    t.setDaemon(true);
    return t;
  });

  OwnerSocketServer(Path path, OwnerDirectory directory) throws IOException {
    this.path = path;
    this.directory = directory;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    // Any local user may connect; the uid check decides who is accepted.
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
    Thread t = new Thread(this::acceptLoop, "backup-socket-accept");
    t.setDaemon(true);
    t.start();
  }

  Path path() { return path; }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("accepting an owner connection failed", e);
        continue;
      }
      Thread t = new Thread(() -> handshake(ch), "backup-socket-hello");
      t.setDaemon(true);
      t.start();
    }
  }

  private void handshake(SocketChannel ch) {
    ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(ch), HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    InputStream in = new BufferedInputStream(io.mtpbridge.backup.client.wire.SocketStreams.in(ch), 1 << 16);
    String ownerId = "?";
    try {
      Frame first = FrameCodec.read(in);
      deadline.cancel(false);
      if (!(first instanceof Frame.Hello hello)) {
        refuse(ch, ownerId, "the first frame must be a hello");
        return;
      }
      ownerId = hello.ownerId();
      if (hello.version() != FrameCodec.VERSION) {
        refuse(ch, ownerId, "protocol version " + hello.version() + " is not supported (engine speaks " + FrameCodec.VERSION + ")");
        return;
      }
      Registration reg = directory.activeRegistration(ownerId);
      if (reg == null) {
        refuse(ch, ownerId, "no active owner '" + ownerId + "' is registered");
        return;
      }
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      String peerUser = peer.user().getName();
      OptionalInt peerUid = UnixUsers.uidOf(peerUser);
      if (peerUid.isEmpty() || peerUid.getAsInt() != reg.uid()) {
        refuse(ch, ownerId, "peer runs as uid " + (peerUid.isPresent() ? peerUid.getAsInt() : "?") + " (" + peerUser
            + ") but the registration names uid " + reg.uid());
        return;
      }
      SocketOwnerPort port = new SocketOwnerPort(ownerId, ch, in, directory);
      FrameCodec.write(io.mtpbridge.backup.client.wire.SocketStreams.out(ch), new Frame.Welcome());
      // After the welcome, so the mode frame the engine sends on attach follows it.
      directory.attach(ownerId, port);
      port.start();
      log.info("owner {} connected over {} as uid {}", ownerId, path, reg.uid());
    } catch (IOException | RuntimeException e) {
      deadline.cancel(false);
      log.warn("owner connection ({}) dropped during hello: {}", ownerId, e.getMessage());
      closeQuietly(ch);
    }
  }

  private static void refuse(SocketChannel ch, String ownerId, String reason) {
    log.warn("refused owner connection '{}': {}", ownerId, reason);
    try {
      FrameCodec.write(io.mtpbridge.backup.client.wire.SocketStreams.out(ch), new Frame.Refused(reason));
    } catch (IOException | IllegalArgumentException ignored) {
      // the peer may already be gone
    }
    closeQuietly(ch);
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override public void close() {
    try {
      server.close();
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort
    }
    timer.shutdownNow();
  }
}
