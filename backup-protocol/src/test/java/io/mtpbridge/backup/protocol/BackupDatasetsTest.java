package io.mtpbridge.backup.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.PtpString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The backup extension's datasets: what one side encodes the other decodes unchanged, a known
 * layout byte for byte, and host or device input that is not a dataset ends in
 * MalformedDatasetException, never anything else (the decoders read what the other side sends).
 */
class BackupDatasetsTest {
  @Test void ownerListLayout() throws Exception {
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeOwners(List.of(new OwnerInfo("a", true, OwnerStatus.READY, List.of("v"), true, false, 7, "")), b);
    byte[] expected = {
        1, 0, 0, 0,                 // one owner
        2, 'a', 0, 0, 0,            // "a" as a PTP string (count includes the terminator)
        2, 0,                       // active
        2, 0,                       // ready
        1, 0, 0, 0, 2, 'v', 0, 0, 0, // volumes ["v"]
        1, 0, 0, 0,                 // incremental
        7, 0, 0, 0, 0, 0, 0, 0,     // expected size
        0};                         // no error
    byte[] got = new byte[b.readableBytes()];
    b.readBytes(got);
    assertArrayEquals(expected, got);
  }

  @Property void ownersRoundTrip(@ForAll("owners") List<OwnerInfo> owners) throws Exception {
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeOwners(owners, b);
    assertEquals(owners, BackupDatasets.decodeOwners(b));
  }

  @Property void statusRoundTrip(@ForAll("status") SessionStatus status) throws Exception {
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeStatus(status, b);
    assertEquals(status, BackupDatasets.decodeStatus(b));
  }

  @Property void requestRoundTrip(@ForAll("names") List<String> owners, @ForAll("names") List<String> volumes) throws Exception {
    BackupDatasets.SessionRequest request = new BackupDatasets.SessionRequest(owners, volumes);
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeRequest(request, b);
    assertEquals(request, BackupDatasets.decodeRequest(b));
  }

  @Test void requestRefusals() {
    ByteBuf trailing = Unpooled.buffer().writeIntLE(0).writeIntLE(0).writeByte(1);
    assertEquals(ResponseCode.INVALID_PARAMETER, assertThrows(MalformedDatasetException.class, () -> BackupDatasets.decodeRequest(trailing)).responseCode());
    ByteBuf tooMany = Unpooled.buffer().writeIntLE(0xFFFFFFFF);
    assertEquals(ResponseCode.INVALID_PARAMETER, assertThrows(MalformedDatasetException.class, () -> BackupDatasets.decodeRequest(tooMany)).responseCode());
    ByteBuf truncated = Unpooled.buffer().writeIntLE(5);
    assertEquals(ResponseCode.INVALID_DATASET, assertThrows(MalformedDatasetException.class, () -> BackupDatasets.decodeRequest(truncated)).responseCode());
  }

  @Test void unknownCodesAreRefused() {
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeStatus(new SessionStatus(1, SessionState.OPEN, "", List.of()), b);
    b.setShortLE(4, 99);
    assertThrows(MalformedDatasetException.class, () -> BackupDatasets.decodeStatus(b));
  }

  /** Arbitrary bytes, and valid datasets cut or mutated at random, never escape as anything else. */
  @Property(tries = 2000) void decodersFailCleanly(@ForAll byte[] junk, @ForAll("status") SessionStatus status,
      @ForAll("owners") List<OwnerInfo> owners, @ForAll int cut, @ForAll int flip) {
    for (byte[] input : List.of(junk, mutate(encoded(status), cut, flip), mutate(encodedOwners(owners), cut, flip))) {
      decodeQuietly(() -> BackupDatasets.decodeStatus(Unpooled.wrappedBuffer(input)));
      decodeQuietly(() -> BackupDatasets.decodeOwners(Unpooled.wrappedBuffer(input)));
      decodeQuietly(() -> BackupDatasets.decodeRequest(Unpooled.wrappedBuffer(input)));
    }
  }

  private interface Decode { Object run() throws MalformedDatasetException; }

  private static void decodeQuietly(Decode d) {
    try {
      d.run();
    } catch (MalformedDatasetException expected) {
      // the only failure a decoder may have
    }
  }

  private static byte[] encoded(SessionStatus s) {
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeStatus(s, b);
    return bytes(b);
  }

  private static byte[] encodedOwners(List<OwnerInfo> owners) {
    ByteBuf b = Unpooled.buffer();
    BackupDatasets.encodeOwners(owners, b);
    return bytes(b);
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static byte[] mutate(byte[] in, int cut, int flip) {
    if (in.length == 0) return in;
    byte[] out = java.util.Arrays.copyOf(in, Math.floorMod(cut, in.length + 1));
    if (out.length > 0) out[Math.floorMod(flip, out.length)] ^= (byte) (flip >>> 8 | 1);
    return out;
  }

  @Provide Arbitrary<List<String>> names() {
    return Arbitraries.strings().alpha().numeric().withChars("._-").ofMaxLength(40).list().ofMaxSize(5);
  }

  /** Labels that survive fit() unchanged; other text is checked by fitMakesAnyTextEncodable. */
  private static Arbitrary<String> label() {
    return Arbitraries.strings().all().ofMaxLength(60).map(BackupDatasets::fit);
  }

  @Property void fitMakesAnyTextEncodable(@ForAll String any) {
    String fitted = BackupDatasets.fit(any);
    assertTrue(PtpString.isEncodable(fitted), fitted);
    assertEquals(fitted, BackupDatasets.fit(fitted));
  }

  @Provide Arbitrary<List<OwnerInfo>> owners() {
    Arbitrary<OwnerInfo> owner = Combinators.combine(label(), Arbitraries.of(true, false), Arbitraries.of(OwnerStatus.class),
        names(), Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.longs().greaterOrEqual(0), label())
        .as(OwnerInfo::new);
    return owner.list().ofMaxSize(4);
  }

  @Provide Arbitrary<SessionStatus> status() {
    Arbitrary<SessionStatus.Owner> owner = Combinators.combine(label(), Arbitraries.of(OwnerStatus.class), label(),
        Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0)).as(SessionStatus.Owner::new);
    return Combinators.combine(Arbitraries.integers(), Arbitraries.of(SessionState.class), label(), owner.list().ofMaxSize(4))
        .as(SessionStatus::new);
  }
}
