package io.mtpbridge.host.repo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** set.json comes from disk, which anyone may have edited: anything read ends in a record or an IOException. */
class SetRecordFuzzTest {
  @Property(tries = 300)
  void arbitraryBytesNeverEscapeAsAnotherException(@ForAll @Size(max = 400) byte[] bytes) {
    try {
      SetRecord.read(new ByteArrayInputStream(bytes));
    } catch (IOException expected) {
      // refused with a reason
    }
  }

  @Property(tries = 300)
  void mutatedRecordsToo(@ForAll @Size(max = 8) java.util.List<@net.jqwik.api.constraints.IntRange(min = 0, max = 200) Integer> positions,
                         @ForAll byte value) {
    byte[] good = ("{\"format\":1,\"id\":\"x\",\"device\":{\"serial\":\"S\",\"manufacturer\":\"M\",\"model\":\"P\"},"
        + "\"stored\":\"t\",\"bytes\":5}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int p : positions) good[p % good.length] = value;
    try {
      SetRecord.read(new ByteArrayInputStream(good));
    } catch (IOException expected) {
      // refused with a reason
    }
  }
}
