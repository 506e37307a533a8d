package io.mtpbridge.core.storage;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.AccessCapability;
import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.transport.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A storage that is not a directory, written against the SPI the way the backup bridge's "Backup"
 * storage is: creating a folder under /Jobs starts work that later produces a file; a file sent
 * into /Inbox is handed over when its upload completes. Also proves OpenSession enumerates nothing.
 */
class VirtualStorageTest {

  /** Folders "Jobs" and "Inbox" at the root; everything in memory. */
  static final class JobStorage implements Storage {
    final Map<ObjectPath, byte[]> files = new ConcurrentHashMap<>();
    final Map<ObjectPath, Boolean> folders = new ConcurrentHashMap<>();
    final List<String> delivered = new ArrayList<>();
    final AtomicInteger listings = new AtomicInteger();
    volatile StorageListener listener;

    JobStorage() throws StorageException {
      folders.put(ObjectPath.of("Jobs"), true);
      folders.put(ObjectPath.of("Inbox"), true);
    }

    @Override public StorageDetails details() {
      return new StorageDetails("Jobs", "", StorageType.FIXED_RAM, true, AccessCapability.READ_WRITE, 1 << 30, 1 << 29);
    }

    @Override public ObjectMetadata stat(ObjectPath p) throws IOException {
      if (p.isRoot() || folders.containsKey(p)) return ObjectMetadata.folder(p.name(), Instant.EPOCH);
      byte[] b = files.get(p);
      if (b == null) throw new StorageException(StorageError.NOT_FOUND, "no " + p);
      return ObjectMetadata.file(p.name(), b.length, Instant.EPOCH);
    }

    @Override public Stream<ObjectMetadata> list(ObjectPath folder) {
      listings.incrementAndGet();
      List<ObjectMetadata> out = new ArrayList<>();
      for (ObjectPath f : folders.keySet()) if (f.parent().equals(folder)) out.add(ObjectMetadata.folder(f.name(), Instant.EPOCH));
      files.forEach((p, b) -> { if (p.parent().equals(folder)) out.add(ObjectMetadata.file(p.name(), b.length, Instant.EPOCH)); });
      return out.stream();
    }

    @Override public ReadableByteChannel openRead(ObjectPath p, long offset) throws IOException {
      byte[] b = files.get(p);
      if (b == null) throw new StorageException(StorageError.NOT_FOUND, "no " + p);
      return Channels.newChannel(new ByteArrayInputStream(b, (int) offset, b.length - (int) offset));
    }

    @Override public ObjectMetadata createFolder(ObjectPath parent, NewObject f) throws IOException {
      if (!parent.equals(ObjectPath.of("Jobs"))) throw new StorageException(StorageError.ACCESS_DENIED, "folders only under /Jobs");
      ObjectPath job = parent.child(f.name());
      folders.put(job, true);
      // The "work" finishes later on another thread and produces a result file.
      new Thread(() -> {
        try {
          Thread.sleep(100);
          ObjectPath result = job.child("result.txt");
          files.put(result, ("done " + f.name()).getBytes());
          StorageListener l = listener;
          if (l != null) l.objectAdded(result);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).start();
      return ObjectMetadata.folder(f.name(), Instant.EPOCH);
    }

    @Override public Upload beginUpload(ObjectPath parent, NewObject o) throws IOException {
      if (!parent.equals(ObjectPath.of("Inbox"))) throw new StorageException(StorageError.ACCESS_DENIED, "files only into /Inbox");
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      return new Upload() {
        boolean open = true;
        @Override public int write(ByteBuffer src) { int n = src.remaining(); byte[] b = new byte[n]; src.get(b); received.write(b, 0, n); return n; }
        @Override public boolean isOpen() { return open; }
        @Override public ObjectMetadata commit() throws IOException {
          open = false;
          synchronized (delivered) { delivered.add(o.name() + ":" + received.size()); }
          files.put(parent.child(o.name()), received.toByteArray());
          return ObjectMetadata.file(o.name(), received.size(), Instant.EPOCH);
        }
        @Override public void abort() { open = false; }
      };
    }

    @Override public void setListener(StorageListener l) { listener = l; }
  }

  @Test
  void aVirtualStorageWorksThroughTheSpi() throws Exception {
    JobStorage storage = new JobStorage();
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET).addStorage(storage).eventCoalesceMillis(20).build();
    try (TestHost h = new TestHost(r)) {
      h.open();
      assertEquals(0, storage.listings.get(), "OpenSession enumerates nothing");
      int[] root = h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF);
      assertEquals(2, root.length);
      int jobs = 0;
      int inbox = 0;
      for (int hd : root) {
        String name = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, hd))).filename();
        if (name.equals("Jobs")) jobs = hd; else inbox = hd;
      }
      // A folder under /Jobs starts work; its result appears as an ObjectAdded event.
      LoopbackExchange made = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.folderInfo("nightly"), Fixtures.STORAGE_1, jobs);
      expect(ResponseCode.OK, made);
      int job = made.param(2);
      assertEquals(0, h.handles(Fixtures.STORAGE_1, 0, job).length); // the host looks inside: empty so far
      Event added = null;
      long deadline = System.currentTimeMillis() + 60_000;
      while (added == null && System.currentTimeMillis() < deadline) {
        Event e = h.link.pollEvent(100, TimeUnit.MILLISECONDS);
        if (e != null && e.code() == EventCode.OBJECT_ADDED.value()) added = e;
      }
      assertNotNull(added, "the produced file is announced");
      assertEquals("done nightly", new String(TestHost.bytes(h.ok(h.tx(OperationCode.GET_OBJECT, added.param(0))))));
      // A file sent into /Inbox is handed over when complete.
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("order.tar", 3), Fixtures.STORAGE_1, inbox));
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT, new byte[] {1, 2, 3}));
      synchronized (storage.delivered) { assertEquals(List.of("order.tar:3"), storage.delivered); }
      // Capabilities the storage lacks are OperationNotSupported; its own refusals keep their code.
      expect(ResponseCode.OPERATION_NOT_SUPPORTED, h.tx(OperationCode.DELETE_OBJECT, job, 0));
      expect(ResponseCode.OPERATION_NOT_SUPPORTED, h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("x")), job, 0xDC07));
      expect(ResponseCode.ACCESS_DENIED, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("stray.bin", 1), Fixtures.STORAGE_1, 0));
      assertTrue(storage.listings.get() > 0);
      // A storage reporting new capacity or free space raises StorageInfoChanged.
      storage.listener.storageInfoChanged();
      Event info = null;
      deadline = System.currentTimeMillis() + 60_000;
      while (info == null && System.currentTimeMillis() < deadline) {
        Event e = h.link.pollEvent(100, TimeUnit.MILLISECONDS);
        if (e != null && e.code() == EventCode.STORAGE_INFO_CHANGED.value()) info = e;
      }
      assertNotNull(info, "StorageInfoChanged");
      assertEquals(Fixtures.STORAGE_1, info.param(0));
      h.assertClean();
    }
  }
}
