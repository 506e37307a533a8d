package io.mtpbridge.core.event;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageDetails;
import io.mtpbridge.core.storage.StorageListener;
import io.mtpbridge.core.storage.Upload;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.core.transport.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event thread against the protocol thread: a device-side report of a file the host is
 * uploading, arriving between the upload's commit and its entry in the handle index, must not give
 * the file a second handle nor raise ObjectAdded; a failure inside the event thread is counted,
 * logged, and leaves the thread serving.
 */
class EventRaceTest {
  @TempDir Path dir;

  /** A file-system storage with hooks: what happens right after an upload commits, and a stat that can fail. */
  static class HookedStorage implements Storage {
    final FileSystemStorage fs;
    volatile StorageListener listener;
    volatile Runnable afterCommit = () -> {};
    volatile String failStatOf;

    HookedStorage(FileSystemStorage fs) { this.fs = fs; }

    @Override public StorageDetails details() throws IOException { return fs.details(); }
    @Override public ObjectMetadata stat(ObjectPath path) throws IOException {
      if (!path.isRoot() && path.name().equals(failStatOf)) throw new AssertionError("a storage bug");
      return fs.stat(path);
    }
    @Override public Stream<ObjectMetadata> list(ObjectPath folder) throws IOException { return fs.list(folder); }
    @Override public ReadableByteChannel openRead(ObjectPath path, long offset) throws IOException { return fs.openRead(path, offset); }
    @Override public void setListener(StorageListener l) { listener = l; fs.setListener(l); }
    @Override public void watch(ObjectPath folder) { fs.watch(folder); }
    @Override public void unwatchAll() { fs.unwatchAll(); }
    @Override public void delete(ObjectPath path) throws IOException { fs.delete(path); }
    volatile Runnable afterMove = () -> {};
    @Override public ObjectMetadata move(ObjectPath path, ObjectPath newParent) throws IOException {
      ObjectMetadata m = fs.move(path, newParent);
      afterMove.run();
      return m;
    }

    @Override public Upload beginUpload(ObjectPath parent, NewObject object) throws IOException {
      Upload up = fs.beginUpload(parent, object);
      return new Upload() {
        @Override public int write(ByteBuffer src) throws IOException { return up.write(src); }
        @Override public boolean isOpen() { return up.isOpen(); }
        @Override public ObjectMetadata commit() throws IOException {
          ObjectMetadata m = up.commit();
          afterCommit.run();
          return m;
        }
        @Override public void abort() { up.abort(); }
      };
    }
  }

  private static MtpResponder responder(Storage s) {
    return MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(s)
        .eventCoalesceMillis(50)
        .build();
  }

  /** Polls events until ObjectAdded for an object named {@code name}; returns everything before it. */
  static List<Event> eventsUntilAdded(TestHost h, String name) throws InterruptedException {
    List<Event> before = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Event e = h.link.pollEvent(100, TimeUnit.MILLISECONDS);
      if (e == null) continue;
      if (e.code() == EventCode.OBJECT_ADDED.value()) {
        ObjectNode n = h.responder.objects().find(e.param(0));
        if (n != null && n.name().equals(name)) return before;
      }
      before.add(e);
    }
    throw new AssertionError("no ObjectAdded for " + name + " (is the event thread alive?); saw " + before);
  }

  @Test
  void aReportOfTheUploadRacingItsCommitGetsNoSecondHandleAndNoEvent() throws Exception {
    HookedStorage storage = new HookedStorage(new FileSystemStorage("Internal", dir, false));
    try (TestHost h = new TestHost(responder(storage))) {
      List<Event> seen = new ArrayList<>();
      // Between the commit and the handle index: the inotify report of the new file is handled by
      // the event thread, and a sentinel change after it proves it was handled (events keep order).
      storage.afterCommit = () -> {
        try {
          storage.listener.objectAdded(ObjectPath.of("up.txt"));
          Files.writeString(dir.resolve("sentinel.txt"), "s");
          storage.listener.objectAdded(ObjectPath.of("sentinel.txt"));
          seen.addAll(eventsUntilAdded(h, "sentinel.txt"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      h.open();
      h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF); // lists and watches the root
      var info = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("up.txt", 3), Fixtures.STORAGE_1, 0);
      expect(ResponseCode.OK, info);
      int promised = info.param(2);
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {1, 2, 3}));
      assertEquals(List.of(), seen, "no event for the host's own upload");
      assertEquals("up.txt", ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, promised))).filename(),
          "the handle SendObjectInfo answered names the file");
      int named = 0;
      for (int handle : h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF)) {
        if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle))).filename().equals("up.txt")) {
          named++;
          assertEquals(promised, handle);
        }
      }
      assertEquals(1, named, "one handle for the uploaded file");
      h.assertClean();
    }
  }

  @Test
  void aReportOfAHostMoveRacingItsIndexUpdateKeepsTheHandle() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.createDirectory(dir.resolve("docs"));
    HookedStorage storage = new HookedStorage(new FileSystemStorage("Internal", dir, false));
    try (TestHost h = new TestHost(responder(storage))) {
      List<Event> seen = new ArrayList<>();
      // Between the storage's move and the index's: the report that a.txt left the root (and one
      // that the root changed as a whole) is handled by the event thread.
      storage.afterMove = () -> {
        try {
          storage.listener.objectRemoved(ObjectPath.of("a.txt"));
          storage.listener.folderChanged(ObjectPath.ROOT);
          Files.writeString(dir.resolve("docs/sentinel.txt"), "s");
          storage.listener.objectAdded(ObjectPath.of("docs", "sentinel.txt"));
          seen.addAll(eventsUntilAdded(h, "sentinel.txt"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      h.open();
      int a = -1, docs = -1;
      for (int x : h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF)) {
        String n = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename();
        if (n.equals("a.txt")) a = x;
        if (n.equals("docs")) docs = x;
      }
      h.handles(Fixtures.STORAGE_1, 0, docs); // lists and watches docs
      expect(ResponseCode.OK, h.tx(OperationCode.MOVE_OBJECT, a, Fixtures.STORAGE_1, docs));
      assertEquals(List.of(), seen, "no event for the host's own move");
      ObjectInfo info = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, a)));
      assertEquals("a.txt", info.filename());
      assertEquals(docs, info.parentObject());
      h.assertClean();
    }
  }

  @Test
  void aFailureInTheEventThreadIsCountedAndTheThreadGoesOn() throws Exception {
    HookedStorage storage = new HookedStorage(new FileSystemStorage("Internal", dir, false));
    storage.failStatOf = "boom.txt";
    try (TestHost h = new TestHost(responder(storage))) {
      h.open();
      h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF);
      Files.writeString(dir.resolve("boom.txt"), "x");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (h.responder.unexpectedEventFailures() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
      assertTrue(h.responder.unexpectedEventFailures() >= 1, "the failure is counted");
      Files.writeString(dir.resolve("after.txt"), "x");
      assertNotNull(eventsUntilAdded(h, "after.txt"), "the event thread still serves");
      assertEquals(0, h.responder.unexpectedFailures());
      h.assertClean();
    }
  }
}
