package io.mtpbridge.backup.archive;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHA-256 of one stream, as every backup and restore stream on the device is hashed: from the
 * system's libcrypto (OpenSSL 1.1 or 3, through JNA) when it loads, else the JDK's
 * {@link MessageDigest}.
 *
 * <p>Why not always the JDK's: mtpd runs C1 only (mtp-device/bin/mtpd, chosen for its start and
 * memory), and C1 has no SHA-256 intrinsic, so the JDK's SHA-256 runs as plain Java there — tens of
 * MB/s on a small ARM board, below USB 2.0, and most of mtpd's CPU in a backup
 * (benchmarks/README.md, issue 8). OpenSSL uses the CPU's SHA instructions (ARMv8 crypto
 * extensions, SHA-NI) or its vector code. Both give the same digest; the choice is made once per
 * process, at the first stream hashed (never on mtpd's start path), logged once at info, and
 * {@code -Dmtpbridge.backup.sha256=jdk} forces the JDK's.
 *
 * <p>Thread confinement: an instance is not thread-safe. One thread at a time updates it and takes
 * its digest; handing it to another thread needs a happens-before edge (ArchiveWriter's hash
 * thread and writer meet through {@code Future.get}). An instance ends with {@link #digest()} (or
 * {@link #hexDigest()}) or {@link #close()}; both free native state, and a native instance
 * dropped without either is freed by a cleaner. Using it after its end throws
 * {@link IllegalStateException}.
 */
public abstract class Sha256 implements AutoCloseable {
  /** System property: {@code jdk} forces the JDK's implementation; {@code auto} (default) prefers libcrypto. */
  public static final String PROPERTY = "mtpbridge.backup.sha256";
  /** libcrypto's names, tried in this order: OpenSSL 3, 1.1, then whatever the unversioned link names. */
  static final List<String> LIBRARIES = List.of("libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so");

  private static final Logger log = LoggerFactory.getLogger(Sha256.class);

  /** Makes instances of one implementation. */
  interface Implementation {
    Sha256 create();

    /** What it is, for the log and tests: {@code "libcrypto.so.3 (OpenSSL 3.0.x ...)"} or {@code "JDK ..."}. */
    String description();

    boolean isNative();
  }

  /** A new digest of the implementation this process uses (chosen at the first call). */
  public static Sha256 create() { return Chosen.IMPLEMENTATION.create(); }

  /** The implementation this process uses, for logs and benchmarks (chooses it if not yet done). */
  public static String implementation() { return Chosen.IMPLEMENTATION.description(); }

  /** Whether this process hashes with libcrypto (chooses the implementation if not yet done). */
  public static boolean isNative() { return Chosen.IMPLEMENTATION.isNative(); }

  /** Hashes {@code len} bytes of {@code b} from {@code off}. */
  public abstract void update(byte[] b, int off, int len);

  /** Hashes the buffer's remaining bytes (heap or direct); its position ends at its limit. */
  public abstract void update(ByteBuffer buf);

  /** The 32-byte digest; ends this instance. */
  public abstract byte[] digest();

  /** The digest in lower-case hex, as the manifest holds it; ends this instance. */
  public final String hexDigest() { return HexFormat.of().formatHex(digest()); }

  /** Ends this instance without a digest (an abandoned stream); does nothing when already ended. */
  @Override public abstract void close();

  /** The process-wide choice, made when this holder is first used: not when Sha256 is loaded. */
  private static final class Chosen {
    static final Implementation IMPLEMENTATION = choose(System.getProperty(PROPERTY, "auto"), LIBRARIES);
  }

  /**
   * Picks the implementation for {@code mode} ({@code jdk} or {@code auto}), trying libcrypto under
   * {@code libraries} in order, and logs the choice once.
   */
  static Implementation choose(String mode, List<String> libraries) {
    String m = mode.trim().toLowerCase(java.util.Locale.ROOT);
    if (m.equals("jdk")) {
      Implementation jdk = jdk();
      log.info("SHA-256 of backup streams: {} (-D{}=jdk)", jdk.description(), PROPERTY);
      return jdk;
    }
    if (!m.equals("auto")) log.warn("-D{}={}: unknown value (auto or jdk); using auto", PROPERTY, mode);
    String why;
    try {
      Implementation lib = NativeSha256.load(libraries);
      log.info("SHA-256 of backup streams: {}", lib.description());
      return lib;
    } catch (Exception | LinkageError e) {
      // UnsatisfiedLinkError (no libcrypto, no JNA stub), a failed self-test, JNA missing: the JDK's works everywhere
      why = e.toString();
    }
    Implementation jdk = jdk();
    log.info("SHA-256 of backup streams: {}; libcrypto not used: {}", jdk.description(), why);
    return jdk;
  }

  static Implementation jdk() {
    MessageDigest probe = JdkSha256.newDigest();
    String description = "JDK MessageDigest (" + probe.getProvider().getName() + ")";
    return new Implementation() {
      @Override public Sha256 create() { return new JdkSha256(); }

      @Override public String description() { return description; }

      @Override public boolean isNative() { return false; }
    };
  }

  /** The JDK's SHA-256: C2 compiles it to the CPU's SHA instructions; C1 runs it as plain Java. */
  static final class JdkSha256 extends Sha256 {
    private MessageDigest md = newDigest();

    static MessageDigest newDigest() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    @Override public void update(byte[] b, int off, int len) { open().update(b, off, len); }

    @Override public void update(ByteBuffer buf) { open().update(buf); }

    @Override public byte[] digest() {
      byte[] d = open().digest();
      md = null;
      return d;
    }

    @Override public void close() { md = null; }

    private MessageDigest open() {
      if (md == null) throw new IllegalStateException("SHA-256 already ended");
      return md;
    }
  }
}
