package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Sha256} gives MessageDigest's SHA-256 for every length, across the padding's block boundaries. */
class Sha256Test {
  private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

  @Test
  void knownAnswers() {
    // FIPS 180-4 examples: one block, two blocks
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(Sha256.digest(new byte[0])));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII))));
    assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        hex(Sha256.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void everyLengthAroundTheBlockBoundaries() throws Exception {
    for (int n = 0; n <= 200; n++) {
      byte[] m = new byte[n];
      for (int i = 0; i < n; i++) m[i] = (byte) (i * 31 + n);
      assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(m), Sha256.digest(m), "length " + n);
    }
  }

  @Property
  void sameAsMessageDigest(@ForAll @Size(max = 300) byte[] message) throws Exception {
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(message), Sha256.digest(message));
  }
}
