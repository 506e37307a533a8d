package io.mtpbridge.sim.e2e;

import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.host.MtpInitiator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Random;

/** Upload/download helpers over the initiator, as a host application would do them. */
final class Objects {
  private Objects() {}

  static final int UNDEFINED = 0x3000;
  static final int ASSOCIATION = 0x3001;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static ObjectInfo fileInfo(int storage, int parent, String name, long size) {
    return ObjectInfo.builder().storageId(storage).objectFormat(UNDEFINED).parentObject(parent).size(size).filename(name).build();
  }

  static ObjectInfo folderInfo(int storage, int parent, String name) {
    return ObjectInfo.builder().storageId(storage).objectFormat(ASSOCIATION).associationType(1).parentObject(parent).filename(name).build();
  }

  /** SendObjectInfo + SendObject; returns the new handle. */
  static int upload(MtpInitiator host, int storage, int parent, String name, byte[] data) throws IOException {
    int[] r = host.sendObjectInfo(storage, parent, fileInfo(storage, parent, name, data.length));
    host.sendObject(Channels.newChannel(new ByteArrayInputStream(data)), data.length);
    return r[2];
  }

  static int mkdir(MtpInitiator host, int storage, int parent, String name) throws IOException {
    return host.sendObjectInfo(storage, parent, folderInfo(storage, parent, name))[2];
  }

  static byte[] download(MtpInitiator host, int handle) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    host.getObject(handle, Channels.newChannel(out));
    return out.toByteArray();
  }

  static int find(MtpInitiator host, int storage, int parent, String name) throws IOException {
    for (int h : host.getObjectHandles(storage, 0, parent)) {
      if (host.objectInfo(h).filename().equals(name)) return h;
    }
    return 0;
  }
}
