package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.Upload;

/**
 * An object the host announced (SendObjectInfo / SendObjectPropList) and will send next: where it
 * goes, what it is, the handle already promised to the host, and the storage's upload, opened at
 * announcement so that every refusal (no space, bad name, read-only) happens before any data.
 * {@code upload} is null when the object was complete at announcement (an empty file).
 */
public record PendingObject(ObjectNode parent, NewObject object, int handle, Upload upload) {

  /** Discards the upload, if any. */
  public void abort() {
    if (upload != null) upload.abort();
  }
}
