package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.property.StandardObjectProperties;
import io.mtpbridge.core.responder.ErrorCodes;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.storage.NewObject;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.storage.StorageError;
import io.mtpbridge.core.storage.StorageException;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.time.Instant;

/**
 * 0x9808 SendObjectPropList (storage, parent, format, size high 32 bits, size low 32 bits; data:
 * ObjectPropList with handle 0). The MTP way to announce an object, carrying a 64-bit size. The
 * list must name the object (ObjectFileName); DateCreated/DateModified are applied, other
 * properties are accepted when they are known.
 *
 * <p>The response always has the four parameters MTP defines, because hosts read them by
 * position: on OK the storage, the parent (0xFFFFFFFF for a storage root, as MTP says; see
 * {@link SendObjectInfo}), the new handle and 0;
 * on a failure 0, 0, 0 and the 0-based index of the first element at fault (the ObjectFileName
 * element when the name is refused or taken; 0 when no element is at fault, e.g. StoreFull).
 */
public final class SendObjectPropList implements OperationHandler {
  @Override public int operationCode() { return OperationCode.SEND_OBJECT_PROP_LIST.value(); }
  @Override public boolean receivesData() { return true; }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    ByteBuf buf = DataPhases.receive(ctx, DataPhases.MAX_DATASET);
    ObjectPropList list;
    try {
      list = ObjectPropList.decode(buf);
    } catch (MalformedDatasetException e) {
      return failed(e.responseCode().value(), 0);
    } finally {
      buf.release();
    }
    int nameIndex = 0;
    try {
      ObjectNode parent = ObjectActions.resolveParent(ctx, ctx.param(0), ctx.param(1));
      int format = ctx.param(2);
      long size = (Integer.toUnsignedLong(ctx.param(3)) << 32) | Integer.toUnsignedLong(ctx.param(4));
      if (size < 0) return failed(ResponseCode.OBJECT_TOO_LARGE.value(), 0);
      String name = null;
      Instant created = null;
      Instant modified = null;
      int i = 0;
      for (ObjectPropList.Element e : list.elements()) {
        int bad = check(ctx, e);
        if (bad != 0) return failed(bad, i);
        if (e.propertyCode() == ObjectPropertyCode.OBJECT_FILE_NAME.value()) {
          name = ((PropertyValue.Str) e.value()).value();
          nameIndex = i;
        } else if (e.propertyCode() == ObjectPropertyCode.DATE_CREATED.value()) {
          created = SendObjectInfo.date(((PropertyValue.Str) e.value()).value());
        } else if (e.propertyCode() == ObjectPropertyCode.DATE_MODIFIED.value()) {
          modified = SendObjectInfo.date(((PropertyValue.Str) e.value()).value());
        }
        i++;
      }
      if (name == null) return failed(ResponseCode.INVALID_DATASET.value(), 0);
      boolean folder = ObjectFormat.isAssociation(format);
      NewObject spec = new NewObject(ObjectNames.validate(name), folder, folder ? 0 : size, format, created, modified);
      int handle = ObjectAnnouncements.announce(ctx, parent, spec);
      return OperationResult.ok(parent.storageId(), SendObjectInfo.parentParameter(parent), handle, 0);
    } catch (MtpOperationException e) {
      return failed(e.responseCode(), 0);
    } catch (StorageException e) {
      // A name that is invalid or taken is the ObjectFileName element's fault; anything else
      // (no room, read-only, an I/O error) is no element's.
      boolean nameAtFault = e.error() == StorageError.INVALID_NAME || e.error() == StorageError.ALREADY_EXISTS;
      return failed(ErrorCodes.forStorageError(e.error()), nameAtFault ? nameIndex : 0);
    }
  }

  private static OperationResult failed(int responseCode, int index) {
    return OperationResult.of(responseCode, 0, 0, 0, index);
  }

  /** 0 when the element is acceptable, else the response code. */
  private static int check(OperationContext ctx, ObjectPropList.Element e) {
    if (e.objectHandle() != 0) return ResponseCode.INVALID_DATASET.value();
    var p = ctx.objectProperties().find(e.propertyCode());
    if (p == null) return ResponseCode.INVALID_OBJECT_PROP_CODE.value();
    if (p.dataType() != e.dataType()) return ResponseCode.INVALID_OBJECT_PROP_FORMAT.value();
    if (p.code() == ObjectPropertyCode.DATE_MODIFIED.value() || p.code() == ObjectPropertyCode.DATE_CREATED.value()) {
      String s = ((PropertyValue.Str) e.value()).value();
      if (!s.isEmpty()) {
        try {
          StandardObjectProperties.parseDate(s);
        } catch (MtpOperationException ex) {
          return ResponseCode.INVALID_OBJECT_PROP_VALUE.value();
        }
      }
    }
    return 0;
  }
}
