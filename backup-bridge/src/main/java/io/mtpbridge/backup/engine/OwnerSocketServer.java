package io.mtpbridge.backup.engine;

import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import io.mtpbridge.backup.client.wire.SocketStreams;
import io.mtpbridge.backup.registration.Registration;
import io.mtpbridge.backup.registration.UnixUsers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts out-of-process owners on a Unix domain socket. The first frame must be a hello naming a
 * registered active owner, within a few seconds; the kernel-reported peer uid (SO_PEERCRED) must
 * equal the registration's uid. Otherwise the peer gets a refusal with the reason, the attempt is
 * logged, and the connection is closed.
 *
 * <p>Any local user may connect, so connections that have not said hello yet are untrusted and
 * bounded: one thread reads every pending hello with a selector (no thread per connection), at
 * most {@link #MAX_PENDING} wait at once and at most {@link #MAX_PENDING_PER_USER} of one user
 * (so one user's flood cannot keep another's owners out), each for {@link #HELLO_TIMEOUT_MS} at
 * most. Over a limit the oldest waiting connection (of that user, or of all) is closed: a real
 * owner says hello at once, so a flood of silent connections only ever pushes out its own.
 * Nothing a peer does stops the loop.
 */
final class OwnerSocketServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OwnerSocketServer.class);
  static final long HELLO_TIMEOUT_MS = 5000;
  static final int MAX_PENDING = 64;
  static final int MAX_PENDING_PER_USER = 8;
  /** The largest hello body: type, version, owner id string. */
  private static final int MAX_HELLO = 1 + 2 + 2 + FrameCodec.MAX_STRING;

  private final Path path;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final OwnerDirectory directory;
  /** Connections waiting for their hello, oldest first, in all and per user. */
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Map<String, Deque<Pending>> pendingPerUser = new HashMap<>();
  private final Thread thread;

  /** A connection that has not said hello yet. */
  private static final class Pending {
    final SocketChannel channel;
    final String user;
    final long deadline = System.nanoTime() + HELLO_TIMEOUT_MS * 1_000_000;
    final ByteBuffer length = ByteBuffer.allocate(4);
    ByteBuffer body;
    SelectionKey key;

    Pending(SocketChannel channel, String user) {
      this.channel = channel;
      this.user = user;
    }
  }

  OwnerSocketServer(Path path, OwnerDirectory directory) throws IOException {
    this.path = path;
    this.directory = directory;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    // Any local user may connect; the uid check decides who is accepted.
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
    server.configureBlocking(false);
    selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    thread = new Thread(this::loop, "backup-socket");
    thread.setDaemon(true);
    thread.start();
  }

  Path path() { return path; }

  private void loop() {
    while (server.isOpen()) {
      try {
        selector.select(200);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) continue;
          if (key.isAcceptable()) accept();
          else if (key.isReadable()) read(key);
        }
        expire();
      } catch (ClosedSelectorException closed) {
        return;
      } catch (Throwable t) {
        // Out of file descriptors, a peer doing something odd, even an Error: log, pause, go on.
        log.warn("owner socket: {}", t.toString());
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel ch;
    while ((ch = server.accept()) != null) {
      String user;
      try {
        user = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
      } catch (IOException | RuntimeException e) {
        closeQuietly(ch);
        continue;
      }
      Deque<Pending> mine = pendingPerUser.computeIfAbsent(user, u -> new ArrayDeque<>());
      if (mine.size() >= MAX_PENDING_PER_USER) drop(mine.peekFirst(), "more than " + MAX_PENDING_PER_USER + " connections of its user wait");
      if (pending.size() >= MAX_PENDING) drop(pending.peekFirst(), "more than " + MAX_PENDING + " connections wait");
      ch.configureBlocking(false);
      Pending p = new Pending(ch, user);
      p.key = ch.register(selector, SelectionKey.OP_READ, p);
      pending.addLast(p);
      pendingPerUser.computeIfAbsent(user, u -> new ArrayDeque<>()).addLast(p);
    }
  }

  private void drop(Pending p, String why) {
    done(p);
    log.debug("owner socket: closed a connection of user {} that sent no hello yet: {}", p.user, why);
    closeQuietly(p.channel);
  }

  private void read(SelectionKey key) {
    Pending p = (Pending) key.attachment();
    try {
      if (p.body == null) {
        if (p.channel.read(p.length) < 0) throw new IOException("closed before its hello");
        if (p.length.hasRemaining()) return;
        int n = p.length.flip().getInt();
        if (n < 1 || n > MAX_HELLO) throw new IOException("first frame of " + Integer.toUnsignedString(n) + " bytes is no hello");
        p.body = ByteBuffer.allocate(n);
      }
      if (p.channel.read(p.body) < 0) throw new IOException("closed inside its hello");
      if (p.body.hasRemaining()) return;
      done(p);
      hello(p.channel, FrameCodec.decode(p.body.array()));
    } catch (IOException | RuntimeException e) {
      done(p);
      log.warn("owner connection of user {} dropped before its hello: {}", p.user, e.getMessage());
      closeQuietly(p.channel);
    }
  }

  /** No longer pending: deregistered from the selector, so it can be used in blocking mode. */
  private void done(Pending p) {
    if (!pending.remove(p)) return;
    p.key.cancel();
    Deque<Pending> mine = pendingPerUser.get(p.user);
    mine.remove(p);
    if (mine.isEmpty()) pendingPerUser.remove(p.user);
  }

  private void expire() {
    long now = System.nanoTime();
    while (!pending.isEmpty() && now - pending.peekFirst().deadline > 0) {
      Pending p = pending.peekFirst();
      done(p);
      log.warn("owner connection of user {} sent no hello within {} ms; closed", p.user, HELLO_TIMEOUT_MS);
      closeQuietly(p.channel);
    }
  }

  private void hello(SocketChannel ch, Frame first) throws IOException {
    selector.selectNow(); // completes the key's cancellation
    ch.configureBlocking(true);
    if (!(first instanceof Frame.Hello hello)) {
      refuse(ch, "?", "the first frame must be a hello");
      return;
    }
    String ownerId = hello.ownerId();
    if (hello.version() != FrameCodec.VERSION) {
      refuse(ch, ownerId, "protocol version " + hello.version() + " is not supported (engine speaks " + FrameCodec.VERSION + ")");
      return;
    }
    Registration reg = directory.activeRegistration(ownerId);
    if (reg == null) {
      refuse(ch, ownerId, "no active owner '" + ownerId + "' is registered");
      return;
    }
    String peerUser = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
    OptionalInt peerUid = UnixUsers.uidOf(peerUser);
    if (peerUid.isEmpty() || peerUid.getAsInt() != reg.uid()) {
      refuse(ch, ownerId, "peer runs as uid " + (peerUid.isPresent() ? peerUid.getAsInt() : "?") + " (" + peerUser
          + ") but the registration names uid " + reg.uid());
      return;
    }
    SocketOwnerPort port = new SocketOwnerPort(ownerId, ch, new BufferedInputStream(SocketStreams.in(ch), 1 << 16), directory);
    // A fresh socket's buffer is empty: this small write does not block.
    FrameCodec.write(SocketStreams.out(ch), new Frame.Welcome());
    // After the welcome, so the mode frame the engine sends on attach follows it.
    directory.attach(ownerId, port);
    port.start();
    log.info("owner {} connected over {} as uid {}", ownerId, path, reg.uid());
  }

  private static void refuse(SocketChannel ch, String ownerId, String reason) {
    log.warn("refused owner connection '{}': {}", ownerId, reason);
    try {
      FrameCodec.write(SocketStreams.out(ch), new Frame.Refused(reason));
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
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (SelectionKey key : selector.keys()) if (key.channel() instanceof SocketChannel ch) closeQuietly(ch);
      selector.close();
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }
}
