package io.mtpbridge.backup.archive;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 by libcrypto's EVP digest API (the same calls in OpenSSL 1.1 and 3), bound with JNA's
 * direct mapping. Loaded only by {@link Sha256}'s choice, so neither JNA's binding nor libcrypto
 * is touched before the first stream is hashed.
 *
 * <p>Heap bytes are copied into a native scratch buffer of {@link #SCRATCH} bytes and hashed from
 * there, a chunk at a time: JNA would hand a {@code byte[]} to C by copying the whole array in and
 * back out (JNI's Get/ReleaseByteArrayElements) at every call, whatever part of it is hashed; this
 * copies exactly the bytes hashed, once, into memory that stays in the cache. Direct buffers are
 * hashed where they are.
 *
 * <p>The EVP context and the scratch buffer are freed by {@link #digest()} or {@link #close()};
 * a cleaner frees them when an instance is dropped without either (a spool abandoned by a failure
 * nobody closed). Callers keep an instance to one thread at a time (see {@link Sha256}); the
 * methods are synchronized all the same (uncontended, once per call of up to 64 KiB or more), so
 * that a caller breaking that rule gets an exception, never libcrypto working on a freed context.
 */
final class NativeSha256 extends Sha256 {
  /** Bytes copied and hashed per call: big enough that the call's cost vanishes, small enough for the cache. */
  static final int SCRATCH = 64 * 1024;
  private static final int DIGEST_BYTES = 32;
  private static final Cleaner CLEANER = Cleaner.create(r -> {
    Thread t = new Thread(r, "sha256-cleaner");
    t.setDaemon(true);
    return t;
  });

  /** libcrypto's functions; size_t is C's long on Linux (LP64 and ILP32), hence NativeLong. */
  static final class LibCrypto {
    private LibCrypto() {}

    static native Pointer EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(Pointer ctx);

    static native Pointer EVP_sha256();

    static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    static native int EVP_DigestUpdate(Pointer ctx, Pointer data, NativeLong count);

    static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

    static native String OpenSSL_version(int type);
  }

  /** The functions bound, checked in a library before it is bound. */
  private static final List<String> FUNCTIONS = List.of("EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_sha256",
      "EVP_DigestInit_ex", "EVP_DigestUpdate", "EVP_DigestFinal_ex", "OpenSSL_version");
  /** The implementation bound in this process (JNA binds a class's native methods once). */
  private static Implementation bound;
  private static String boundName;
  /** Contexts allocated and not yet freed (tests check that abandoned ones are freed). */
  private static final AtomicLong LIVE = new AtomicLong();

  /**
   * Binds libcrypto, the first of {@code names} that loads and has every function, and checks it
   * against known digests before it is trusted; throws when none does.
   */
  static synchronized Implementation load(List<String> names) {
    List<String> failures = new ArrayList<>();
    for (String name : names) {
      NativeLibrary lib;
      try {
        lib = NativeLibrary.getInstance(name);
      } catch (UnsatisfiedLinkError e) {
        // not installed, or JNA's own stub could not be loaded (the message says which)
        failures.add(name + ": " + e.getMessage());
        continue;
      }
      try {
        for (String f : FUNCTIONS) lib.getFunction(f);
      } catch (UnsatisfiedLinkError e) {
        // e.g. OpenSSL 1.0, whose context calls have other names: nothing is bound
        failures.add(name + ": " + e.getMessage());
        continue;
      }
      if (bound != null) {
        if (boundName.equals(name)) return bound;
        failures.add(name + ": this process already uses " + boundName);
        continue;
      }
      Native.register(LibCrypto.class, lib);
      selfTest();
      String description = name + " (" + version() + ")";
      boundName = name;
      bound = new Implementation() {
        @Override public Sha256 create() { return new NativeSha256(); }

        @Override public String description() { return description; }

        @Override public boolean isNative() { return true; }
      };
      return bound;
    }
    throw new UnsatisfiedLinkError("no usable libcrypto: " + String.join("; ", failures));
  }

  static long liveContexts() { return LIVE.get(); }

  private static String version() {
    try {
      return LibCrypto.OpenSSL_version(0);
    } catch (RuntimeException | LinkageError e) {
      return "version unknown";
    }
  }

  /** FIPS 180-2's examples, hashed in uneven pieces through both paths; a wrong digest would make every backup unrestorable. */
  private static void selfTest() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    byte[] two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);
    check(abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check(two, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check(new byte[0], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  private static void check(byte[] data, String expected) {
    try (NativeSha256 heap = new NativeSha256(); NativeSha256 direct = new NativeSha256()) {
      int half = data.length / 2;
      heap.update(data, 0, half);
      heap.update(data, half, 0);
      heap.update(data, half, data.length - half);
      ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, data.length));
      buf.put(data).flip();
      direct.update(buf.slice(0, half));
      direct.update(buf.slice(half, data.length - half));
      String a = heap.hexDigest();
      String b = direct.hexDigest();
      if (!a.equals(expected) || !b.equals(expected)) {
        throw new IllegalStateException("libcrypto's SHA-256 failed its self-test: " + a + " / " + b + ", expected " + expected);
      }
    }
  }

  /** What the cleaner frees: holds no reference to the digest object itself. */
  private static final class Resources implements Runnable {
    private Pointer ctx;
    private Memory scratch;

    @Override public void run() {
      if (ctx != null) {
        LibCrypto.EVP_MD_CTX_free(ctx);
        LIVE.decrementAndGet();
      }
      ctx = null;
      if (scratch != null) scratch.close();
      scratch = null;
    }
  }

  private final Resources state = new Resources();
  private final Cleaner.Cleanable cleanable;
  private boolean ended;

  NativeSha256() {
    Pointer ctx = LibCrypto.EVP_MD_CTX_new();
    if (ctx == null) throw new OutOfMemoryError("libcrypto could not allocate a digest context");
    state.ctx = ctx;
    LIVE.incrementAndGet();
    cleanable = CLEANER.register(this, state);
    if (LibCrypto.EVP_DigestInit_ex(ctx, LibCrypto.EVP_sha256(), null) != 1) {
      cleanable.clean();
      throw new IllegalStateException("libcrypto's EVP_DigestInit_ex(SHA-256) failed");
    }
  }

  @Override public synchronized void update(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    Pointer ctx = ctx();
    if (len == 0) return;
    Memory scratch = state.scratch;
    if (scratch == null) state.scratch = scratch = new Memory(SCRATCH);
    try {
      for (int done = 0; done < len; ) {
        int n = Math.min(SCRATCH, len - done);
        scratch.write(0, b, off + done, n);
        updateNative(ctx, scratch, n);
        done += n;
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override public synchronized void update(ByteBuffer buf) {
    Pointer ctx = ctx();
    int len = buf.remaining();
    if (len == 0) return;
    if (!buf.isDirect()) {
      if (buf.hasArray()) {
        update(buf.array(), buf.arrayOffset() + buf.position(), len);
      } else {
        // a read-only heap buffer hides its array: copy out a chunk at a time
        byte[] tmp = new byte[Math.min(SCRATCH, len)];
        for (int left = len; left > 0; ) {
          int n = Math.min(tmp.length, left);
          buf.get(buf.position(), tmp, 0, n);
          update(tmp, 0, n);
          buf.position(buf.position() + n);
          left -= n;
        }
        return;
      }
      buf.position(buf.limit());
      return;
    }
    try {
      Pointer at = Native.getDirectBufferPointer(buf).share(buf.position());
      updateNative(ctx, at, len);
      buf.position(buf.limit());
    } finally {
      Reference.reachabilityFence(buf);
      Reference.reachabilityFence(this);
    }
  }

  private static void updateNative(Pointer ctx, Pointer data, int n) {
    if (LibCrypto.EVP_DigestUpdate(ctx, data, new NativeLong(n)) != 1) {
      throw new IllegalStateException("libcrypto's EVP_DigestUpdate failed");
    }
  }

  @Override public synchronized byte[] digest() {
    Pointer ctx = ctx();
    byte[] md = new byte[DIGEST_BYTES];
    try {
      if (LibCrypto.EVP_DigestFinal_ex(ctx, md, null) != 1) throw new IllegalStateException("libcrypto's EVP_DigestFinal_ex failed");
    } finally {
      close();
    }
    return md;
  }

  @Override public synchronized void close() {
    ended = true;
    cleanable.clean(); // frees once, whoever comes first: this or the cleaner
  }

  private Pointer ctx() {
    if (ended) throw new IllegalStateException("SHA-256 already ended");
    return state.ctx;
  }

  @Override public String toString() { return "SHA-256 by libcrypto" + (ended ? " (ended)" : ""); }
}
