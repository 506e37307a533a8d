package io.mtpbridge.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever a device sends, the initiator fails with an IOException, never anything else. */
class DeviceInputFuzzTest {

  @Property(tries = 2000)
  void arbitraryInTransfersNeverCrashTheInitiator(@ForAll @Size(max = 6) List<@Size(max = 700) byte[]> transfers) {
    ScriptedLink link = new ScriptedLink(64);
    for (byte[] t : transfers) link.deviceSends(t, false);
    MtpInitiator init = new MtpInitiator(link, 100, 256);
    try {
      init.getObject(1, Channels.newChannel(new ByteArrayOutputStream()));
    } catch (IOException expected) {
      // a clear error is the right outcome for garbage
    }
  }

  @Property(tries = 2000)
  void arbitraryDatasetsDecodeOrFailCleanly(@ForAll @Size(max = 64) byte[] data) {
    try {
      MtpInitiator.uint32Array(data);
    } catch (MtpProtocolViolationException expected) {
      // rejected with a message
    }
    try {
      MtpInitiator.uint16Array(data);
    } catch (MtpProtocolViolationException expected) {
      // rejected with a message
    }
  }
}
