package io.mtpbridge.core.operations;

import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.PendingObject;
import io.mtpbridge.core.responder.Session;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.Upload;
import java.io.IOException;

/** What SendObjectInfo and SendObjectPropList share once the new object is described. */
final class ObjectAnnouncements {
  private ObjectAnnouncements() {}

  /** Creates a folder now, or opens the upload a following SendObject fills; returns the handle. */
  static int announce(OperationContext ctx, ObjectNode parent, NewObject spec) throws IOException {
    Session s = ctx.session();
    s.pendingObject(null); // an earlier announcement without data is abandoned
    parent.storage().requireWritable();
    ObjectPath parentPath = parent.path();
    ObjectPath path = parentPath.child(spec.name());
    s.hostChanged(parent.storageId(), path);
    if (spec.folder()) {
      ObjectMetadata m = parent.storage().storage().createFolder(parentPath, spec);
      return ctx.objects().add(parent, m, 0).handle();
    }
    int handle = ctx.objects().reserveHandle();
    Upload upload = parent.storage().storage().beginUpload(parentPath, spec);
    if (spec.size() == 0) {
      // Some hosts send no SendObject for an empty file: it exists as soon as it is announced.
      ObjectMetadata m;
      try {
        m = upload.commit();
      } finally {
        upload.abort();
      }
      ctx.objects().add(parent, m, handle);
      s.pendingObject(new PendingObject(parent, spec, handle, null));
      return handle;
    }
    s.pendingObject(new PendingObject(parent, spec, handle, upload));
    return handle;
  }
}
