package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object references (a playlist's tracks) survive a new session and a restart of the device, follow
 * the host's renames and moves, and drop out when their objects are deleted. A device that keeps
 * no references file does not offer the operations at all.
 */
class ObjectReferencesTest {
  @TempDir Path dir;
  @TempDir Path state;

  private MtpResponder device() throws IOException {
    return MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .referencesFile(state.resolve("object-references"))
        .addStorage(new FileSystemStorage("Internal", dir, false))
        .build();
  }

  private static int handleOf(TestHost h, int parent, String name) throws IOException {
    for (int x : h.handles(Fixtures.STORAGE_1, 0, parent)) {
      if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename().equals(name)) return x;
    }
    throw new AssertionError(name + " not listed");
  }

  private static int[] references(TestHost h, int handle) throws IOException {
    int[] r = PtpArrays.readUint32Array(h.ok(h.tx(OperationCode.GET_OBJECT_REFERENCES, handle)));
    Arrays.sort(r);
    return r;
  }

  private static void setReferences(TestHost h, int handle, int... refs) throws IOException {
    ByteBuf b = Unpooled.buffer();
    PtpArrays.writeUint32Array(refs, b);
    expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_REFERENCES, TestHost.bytes(b), handle));
  }

  @Test
  void aPlaylistKeepsItsTracksAcrossSessionsAndRestarts() throws Exception {
    Files.createDirectories(dir.resolve("Music"));
    Files.writeString(dir.resolve("Music/one.mp3"), "1");
    Files.writeString(dir.resolve("Music/two.mp3"), "2");
    Files.createDirectories(dir.resolve("Playlists"));
    Files.writeString(dir.resolve("Playlists/mix.pla"), "");
    try (TestHost h = new TestHost(device())) {
      h.open();
      int music = handleOf(h, 0xFFFFFFFF, "Music");
      int one = handleOf(h, music, "one.mp3");
      int two = handleOf(h, music, "two.mp3");
      int mix = handleOf(h, handleOf(h, 0xFFFFFFFF, "Playlists"), "mix.pla");
      setReferences(h, mix, one, two);
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      h.open();
      int[] want = {one, two};
      Arrays.sort(want);
      assertArrayEquals(want, references(h, mix), "a new session still has them");
    }
    // a restart: new handles, and the host has not opened the folders yet
    try (TestHost h = new TestHost(device())) {
      h.open();
      int mix = handleOf(h, handleOf(h, 0xFFFFFFFF, "Playlists"), "mix.pla");
      int[] refs = PtpArrays.readUint32Array(h.ok(h.tx(OperationCode.GET_OBJECT_REFERENCES, mix))); // in the order set
      assertEquals(2, refs.length, "the playlist still has its tracks after a restart");
      assertEquals("one.mp3", ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, refs[0]))).filename());
      assertEquals("two.mp3", ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, refs[1]))).filename());
    }
  }

  /**
   * libmtp's LIBMTP_Create_New_Playlist: SendObjectPropList of an AbstractAudioVideoPlaylist named
   * NAME.pla, one blank byte, SetObjectReferences. After a restart libmtp finds playlists by their
   * format (LIBMTP_Get_Playlist_List), so the object must come back as one, with its track.
   */
  @Test
  void aPlaylistAsLibmtpWritesItIsStillAPlaylistAfterARestart() throws Exception {
    Files.writeString(dir.resolve("one.mp3"), "1");
    try (TestHost h = new TestHost(device())) {
      h.open();
      int one = handleOf(h, 0xFFFFFFFF, "one.mp3");
      int playlist = 0xBA05;
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.objectInfo("mix.pla", playlist, 1, 0), Fixtures.STORAGE_1, 0));
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[1]));
      int mix = handleOf(h, 0xFFFFFFFF, "mix.pla");
      setReferences(h, mix, one);
    }
    try (TestHost h = new TestHost(device())) {
      h.open();
      int mix = handleOf(h, 0xFFFFFFFF, "mix.pla");
      assertEquals(0xBA05, ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, mix))).objectFormat(), "AbstractAudioVideoPlaylist");
      int[] refs = references(h, mix);
      assertEquals(1, refs.length);
      assertEquals("one.mp3", ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, refs[0]))).filename());
    }
  }

  @Test
  void referencesFollowRenamesAndMovesAndDropDeletedObjects() throws Exception {
    Files.createDirectories(dir.resolve("Music"));
    Files.createDirectories(dir.resolve("Archive"));
    Files.writeString(dir.resolve("Music/one.mp3"), "1");
    Files.writeString(dir.resolve("Music/two.mp3"), "2");
    Files.writeString(dir.resolve("mix.pla"), "");
    try (TestHost h = new TestHost(device())) {
      h.open();
      int music = handleOf(h, 0xFFFFFFFF, "Music");
      int one = handleOf(h, music, "one.mp3");
      int two = handleOf(h, music, "two.mp3");
      int mix = handleOf(h, 0xFFFFFFFF, "mix.pla");
      setReferences(h, mix, one, two);
      expect(ResponseCode.OK, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("Songs")), music,
          ObjectPropertyCode.OBJECT_FILE_NAME.value()));
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, mix, Fixtures.STORAGE_1, handleOf(h, 0xFFFFFFFF, "Archive")));
      expect(ResponseCode.OK, h.tx(OperationCode.DELETE_OBJECT, two, 0));
    }
    try (TestHost h = new TestHost(device())) {
      h.open();
      int mix = handleOf(h, handleOf(h, 0xFFFFFFFF, "Archive"), "mix.pla");
      int[] refs = references(h, mix);
      assertEquals(1, refs.length);
      ObjectInfo info = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, refs[0])));
      assertEquals("one.mp3", info.filename());
      assertEquals(handleOf(h, 0xFFFFFFFF, "Songs"), info.parentObject(), "found in the renamed folder");
    }
  }

  @Test
  void withoutAReferencesFileTheOperationsAreNotOffered() throws Exception {
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new FileSystemStorage("Internal", dir, false))
        .build();
    try (TestHost h = new TestHost(r)) {
      DeviceInfo info = DeviceInfo.decode(h.ok(h.link.transact(OperationCode.GET_DEVICE_INFO.value(), 0)));
      assertFalse(Arrays.stream(info.operationsSupported()).anyMatch(c -> c == OperationCode.GET_OBJECT_REFERENCES.value()));
      assertFalse(Arrays.stream(info.operationsSupported()).anyMatch(c -> c == OperationCode.SET_OBJECT_REFERENCES.value()));
      h.open();
      expect(ResponseCode.OPERATION_NOT_SUPPORTED, h.tx(OperationCode.GET_OBJECT_REFERENCES, 1));
    }
  }
}
