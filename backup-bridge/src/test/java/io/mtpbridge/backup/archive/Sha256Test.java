package io.mtpbridge.backup.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * libcrypto's SHA-256 against the JDK's: for any data cut into any pieces, handed over as arrays
 * with offsets, heap, read-only and direct buffers (empty ones too), the digests are the same; and
 * the choice of implementation: native on this machine (Debian ships libcrypto with the JDK's
 * dependencies; run-tests installs libssl3 where it is missing), the JDK's when libcrypto cannot
 * be loaded or the property asks for it.
 */
class Sha256Test {
  enum Via { ARRAY, HEAP_BUFFER, READ_ONLY_HEAP_BUFFER, DIRECT_BUFFER, READ_ONLY_DIRECT_BUFFER, EMPTY }

  record Piece(Via via, int length, int slack) {}

  @Example
  void thisMachineHashesWithLibcrypto() {
    // The machines this project runs and tests on have libcrypto.so.3 (glibc, OpenSSL 3): a
    // fallback here would mean the fast path is broken, so this fails instead of skipping.
    assertTrue(Sha256.isNative(), "expected libcrypto, got " + Sha256.implementation());
    assertTrue(Sha256.implementation().startsWith("libcrypto.so"), Sha256.implementation());
    assertTrue(Sha256.create() instanceof NativeSha256);
  }

  @Example
  void knownDigests() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(new byte[0]));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc".getBytes(StandardCharsets.US_ASCII)));
    // a million 'a' (FIPS 180-2), more than the scratch buffer holds, in one update
    byte[] million = new byte[1_000_000];
    java.util.Arrays.fill(million, (byte) 'a');
    assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hex(million));
  }

  @Property(tries = 300)
  void sameDigestAsTheJdkForAnyPieces(@ForAll("pieces") List<Piece> pieces, @ForAll long seed) throws Exception {
    Random random = new Random(seed);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256");
    try (Sha256 sha = Sha256.create()) {
      for (Piece p : pieces) {
        byte[] data = new byte[p.length];
        random.nextBytes(data);
        jdk.update(data);
        feed(sha, p, data, random);
      }
      assertArrayEquals(jdk.digest(), sha.digest());
    }
  }

  @Provide
  Arbitrary<List<Piece>> pieces() {
    // lengths around the 64 KiB scratch buffer and the 64-byte SHA-256 block matter most
    Arbitrary<Integer> length = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 200),
        Arbitraries.integers().between(NativeSha256.SCRATCH - 70, NativeSha256.SCRATCH + 70),
        Arbitraries.integers().between(0, 3 * NativeSha256.SCRATCH));
    Arbitrary<Piece> piece = Combinators.combine(Arbitraries.of(Via.class), length, Arbitraries.integers().between(0, 40))
        .as((via, len, slack) -> new Piece(via, via == Via.EMPTY ? 0 : len, slack));
    return piece.list().ofMaxSize(8);
  }

  /** Hands {@code data} to {@code sha} the way {@code p} says, inside a bigger array or buffer. */
  private static void feed(Sha256 sha, Piece p, byte[] data, Random random) {
    int before = p.slack;
    byte[] padded = new byte[before + data.length + p.slack];
    random.nextBytes(padded); // bytes around the piece must not count
    System.arraycopy(data, 0, padded, before, data.length);
    switch (p.via) {
      case ARRAY -> sha.update(padded, before, data.length);
      case EMPTY -> {
        sha.update(padded, before, 0);
        sha.update(ByteBuffer.allocateDirect(0));
        sha.update(ByteBuffer.wrap(padded, before, 0));
      }
      case HEAP_BUFFER, READ_ONLY_HEAP_BUFFER, DIRECT_BUFFER, READ_ONLY_DIRECT_BUFFER -> {
        ByteBuffer buf = p.via == Via.HEAP_BUFFER || p.via == Via.READ_ONLY_HEAP_BUFFER
            ? ByteBuffer.wrap(padded)
            : ByteBuffer.allocateDirect(padded.length).put(padded).clear();
        if (p.via == Via.READ_ONLY_HEAP_BUFFER || p.via == Via.READ_ONLY_DIRECT_BUFFER) buf = buf.asReadOnlyBuffer();
        buf.position(before).limit(before + data.length);
        sha.update(buf);
        assertEquals(before + data.length, buf.position(), "update consumes the buffer");
        assertEquals(before + data.length, buf.limit());
      }
    }
  }

  @Property(tries = 50)
  void aSlicedDirectBufferIsHashedFromItsOwnStart(@ForAll @IntRange(min = 0, max = 5000) int offset, @ForAll @IntRange(min = 0, max = 5000) int length) throws Exception {
    byte[] all = new byte[offset + length];
    new Random(offset * 31L + length).nextBytes(all);
    ByteBuffer direct = ByteBuffer.allocateDirect(all.length).put(all).clear();
    ByteBuffer slice = direct.position(offset).slice();
    try (Sha256 sha = Sha256.create()) {
      sha.update(slice);
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(all, offset, all.length));
      assertArrayEquals(expected, sha.digest());
    }
  }

  @Example
  void withoutLibcryptoTheJdkHashes() {
    Sha256.Implementation impl = Sha256.choose("auto", List.of("libmtpbridge-no-such-crypto.so.9", "no-such-crypto"));
    assertFalse(impl.isNative());
    assertTrue(impl.description().startsWith("JDK"), impl.description());
    try (Sha256 sha = impl.create()) {
      assertTrue(sha instanceof Sha256.JdkSha256);
      sha.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
      assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha.hexDigest());
    }
  }

  @Example
  void aLibraryWithoutTheEvpCallsIsNotUsed() {
    // libc loads but has no EVP_* functions: binding fails, the JDK hashes
    Sha256.Implementation impl = Sha256.choose("auto", List.of("libc.so.6"));
    assertFalse(impl.isNative(), impl.description());
  }

  @Example
  void thePropertyForcesTheJdk() {
    assertFalse(Sha256.choose("jdk", Sha256.LIBRARIES).isNative());
    assertFalse(Sha256.choose(" JDK ", Sha256.LIBRARIES).isNative());
  }

  @Example
  void anEndedDigestRefusesMoreWork() {
    for (Sha256 sha : List.of(Sha256.create(), Sha256.jdk().create())) {
      sha.update(new byte[3], 0, 3);
      sha.digest();
      assertThrows(IllegalStateException.class, () -> sha.update(new byte[1], 0, 1));
      assertThrows(IllegalStateException.class, () -> sha.update(ByteBuffer.allocateDirect(1)));
      assertThrows(IllegalStateException.class, sha::digest);
      sha.close(); // closing an ended digest does nothing
      sha.close();
    }
    Sha256 closed = Sha256.create();
    closed.close();
    assertThrows(IllegalStateException.class, closed::digest);
  }

  @Example
  void badRangesAreRefusedBeforeAnythingIsHashed() {
    try (Sha256 sha = Sha256.create()) {
      assertThrows(IndexOutOfBoundsException.class, () -> sha.update(new byte[4], 3, 2));
      assertThrows(IndexOutOfBoundsException.class, () -> sha.update(new byte[4], -1, 1));
      sha.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
      assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha.hexDigest());
    }
  }

  @Example
  void abandonedDigestsAreFreed() throws Exception {
    // Contexts dropped without close (a spool abandoned by a failure) are freed by the cleaner;
    // closed and finished ones at once. Waits for the condition, not for a time.
    long before = NativeSha256.liveContexts();
    for (int i = 0; i < 3_000; i++) {
      Sha256 sha = Sha256.create();
      sha.update(new byte[100], 0, 100);
      if (i % 3 == 0) sha.close();
      if (i % 3 == 1) sha.digest();
    }
    assertTrue(NativeSha256.liveContexts() > before, "abandoned contexts are alive until collected");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (NativeSha256.liveContexts() > before && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertTrue(NativeSha256.liveContexts() <= before, "every abandoned context is freed: " + NativeSha256.liveContexts() + " live, " + before + " before");
  }

  private static String hex(byte[] data) {
    try (Sha256 sha = Sha256.create()) {
      sha.update(data, 0, data.length);
      return HexFormat.of().formatHex(sha.digest());
    }
  }
}
