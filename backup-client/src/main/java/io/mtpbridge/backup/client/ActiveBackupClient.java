package io.mtpbridge.backup.client;

import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A data owner's connection to the Backup Engine, in the same JVM or over the engine's Unix domain
 * socket. It keeps the last mode the engine announced, so {@link #mode()} is always current, and
 * forwards each change to the owner's {@link ModeListener} with a {@link Readiness} to answer it.
 * The engine asks an owner for data (or gives it any) only after it answered ready.
 *
 * <p>Only the JDK is needed: an owner application depends on this package and nothing else.
 */
public final class ActiveBackupClient implements AutoCloseable {
  /** Pass to {@link #confirmReady(int)} when the owner is ready. */
  public static final int READY = 0;

  private final String ownerId;
  private final ModeListener listener;
  private volatile ModeInfo current = ModeInfo.normal(List.of());
  private volatile Link link;
  // guarded by this: the mode change the newest Readiness belongs to, and an answer given before
  // the link was there (an owner answering from the listener that connect itself triggered)
  private long generation;
  private Integer pendingAnswer;
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

  private interface Link {
    void confirmReady(int error) throws IOException;

    void close();
  }

  private ActiveBackupClient(String ownerId, ModeListener listener) {
    this.ownerId = ownerId;
    this.listener = listener;
  }

  /** Connects an owner living in the engine's own process. */
  public static ActiveBackupClient connect(InProcessEngine engine, String ownerId, ActiveBackupDataClient owner,
      ModeListener listener) {
    ActiveBackupClient client = new ActiveBackupClient(ownerId, listener);
    InProcessEngine.Attachment attachment = engine.attach(ownerId, owner, client::deliver);
    client.linked(new Link() {
      @Override public void confirmReady(int error) { attachment.confirmReady(error); }
      @Override public void close() { attachment.detach(); }
    });
    return client;
  }

  /**
   * Connects over the engine's Unix domain socket. The engine checks this process's uid against
   * the owner's registration and refuses a mismatch; the refusal arrives here as an IOException
   * carrying the engine's reason.
   */
  public static ActiveBackupClient connect(Path socket, String ownerId, ActiveBackupDataClient owner,
      ModeListener listener) throws IOException {
    ActiveBackupClient client = new ActiveBackupClient(ownerId, listener);
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new IOException("cannot connect to the backup engine at " + socket + ": " + e.getMessage()
            + " (is the engine running, and may this user open the socket?)", e);
      }
      SocketLink link = new SocketLink(client, channel, owner);
      link.handshake();
      client.linked(link);
      link.start();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return client;
  }

  public String ownerId() { return ownerId; }

  /** The current backup/restore mode (normal when none runs). */
  public BurMode mode() { return current.mode(); }

  /** The volumes this owner takes part with in the current operation. */
  public List<String> volumes() { return current.volumes(); }

  /** True when the current (full, or partial and naming this owner) operation includes this owner. */
  public boolean doesPartialBurAffectMe() { return current.affectsMe(); }

  /**
   * Reports readiness for the current mode: {@link #READY}, or an error code of the owner's choice.
   * The {@link Readiness} given to the listener does the same for the change it came with.
   */
  public void confirmReady(int error) throws IOException {
    Link l = link;
    if (l == null) throw new IOException("not connected");
    l.confirmReady(error);
  }

  private synchronized void linked(Link l) {
    link = l;
    Integer pending = pendingAnswer;
    pendingAnswer = null;
    if (pending != null) send(l, pending);
  }

  /** An answer through a Readiness of change {@code gen}: dropped if a newer change came since. */
  private synchronized void answer(long gen, int error) {
    if (gen != generation) return;
    Link l = link;
    if (l == null) pendingAnswer = error;
    else send(l, error);
  }

  private static void send(Link l, int error) {
    try {
      l.confirmReady(error);
    } catch (IOException gone) {
      // the engine went away: there is nothing left to answer
    }
  }

  @Override public void close() {
    Link l = link;
    link = null;
    if (l != null) l.close();
    closed.countDown();
  }

  /** True until {@link #close()} or until the engine's side of the connection went away. */
  public boolean isConnected() { return closed.getCount() > 0; }

  /** Blocks until the connection ends (the engine stopped or {@link #close()} was called). */
  public void awaitDisconnect() throws InterruptedException { closed.await(); }

  private void deliver(ModeInfo info) {
    long gen;
    synchronized (this) {
      current = info;
      gen = ++generation;
      pendingAnswer = null;
    }
    if (listener == null) return;
    java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
    listener.modeChanged(info, new Readiness() {
      @Override public void ready() { give(READY); }

      @Override public void notReady(int error) {
        if (error == READY) throw new IllegalArgumentException("notReady needs an error code other than 0");
        give(error);
      }

      private void give(int error) {
        if (answered.compareAndSet(false, true)) answer(gen, error);
      }
    });
  }

  /**
   * The socket side: a reader thread takes frames off the socket; calls and mode changes run on a
   * single worker thread in arrival order, while terminate is delivered at once from the reader,
   * so it reaches an owner even when one of its callbacks is stuck.
   */
  private static final class SocketLink implements Link {
    private final ActiveBackupClient client;
    private final SocketChannel channel;
    private final ActiveBackupDataClient owner;
    private final InputStream in;
    private final OutputStream out;
    private final ExecutorService worker;
    private final ByteBuffer section = ByteBuffer.allocate(Callback.MAX_SECTION);

    SocketLink(ActiveBackupClient client, SocketChannel channel, ActiveBackupDataClient owner) {
      this.client = client;
      this.channel = channel;
      this.owner = owner;
      this.in = new BufferedInputStream(io.mtpbridge.backup.client.wire.SocketStreams.in(channel), 1 << 16);
      this.out = new BufferedOutputStream(io.mtpbridge.backup.client.wire.SocketStreams.out(channel), 1 << 16);
      this.worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "backup-owner-" + client.ownerId);
        t.setDaemon(true);
        return t;
      });
    }

    void handshake() throws IOException {
      send(new Frame.Hello(FrameCodec.VERSION, client.ownerId));
      Frame answer = FrameCodec.read(in);
      if (answer instanceof Frame.Refused r) throw new IOException("backup engine refused owner " + client.ownerId + ": " + r.reason());
      if (!(answer instanceof Frame.Welcome)) throw new IOException("backup engine sent " + answer + " instead of a welcome");
    }

    void start() {
      Thread reader = new Thread(this::readLoop, "backup-client-reader-" + client.ownerId);
      reader.setDaemon(true);
      reader.start();
    }

    private void readLoop() {
      try {
        Frame frame;
        while ((frame = FrameCodec.read(in)) != null) {
          if (frame instanceof Frame.Mode m) {
            ModeInfo info = new ModeInfo(BurMode.of(m.mode()), m.volumes(), m.affectsMe());
            worker.execute(() -> client.deliver(info));
          } else if (frame instanceof Frame.Call c) {
            worker.execute(() -> answer(c));
          } else if (frame instanceof Frame.Terminate) {
            owner.terminateMultiStageOperation();
          } else {
            throw new IOException("unexpected frame from the engine: " + frame.getClass().getSimpleName());
          }
        }
      } catch (IOException | RuntimeException e) {
        // garbage or a broken connection: handled below like a clean end of stream
      } finally {
        // The engine is gone either way: whatever multi-stage work was under way cannot complete.
        owner.terminateMultiStageOperation();
        client.close();
      }
    }

    private void answer(Frame.Call call) {
      try {
        Callback cb = Callback.fromCode(call.callback());
        section.clear();
        Callback.CallResult result = cb.apply(owner, call.volume(), ByteBuffer.wrap(call.data()).asReadOnlyBuffer(),
            call.flag(), section);
        byte[] data = new byte[0];
        if (cb.producesData()) {
          section.flip();
          data = new byte[section.remaining()];
          section.get(data);
        }
        send(new Frame.Result(call.callId(), result.finished(), result.value(), data));
      } catch (Exception e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (message.length() > 500) message = message.substring(0, 500);
        try {
          send(new Frame.Failed(call.callId(), message));
        } catch (IOException ignored) {
          close();
        }
      }
    }

    private synchronized void send(Frame frame) throws IOException {
      FrameCodec.write(out, frame);
    }

    @Override public void confirmReady(int error) throws IOException { send(new Frame.Ready(error)); }

    @Override public void close() {
      worker.shutdown();
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing is best effort
      }
    }
  }
}
