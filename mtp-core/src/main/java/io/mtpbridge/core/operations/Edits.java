package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.storage.ObjectEditor;
import java.io.IOException;

/** The editor BeginEditObject opened for a handle. */
final class Edits {
  private Edits() {}

  /** The edit open on {@code handle} in this session, or null (reads then go to the storage). */
  static ObjectEditor openOn(OperationContext ctx, int handle) {
    return ctx.session() == null ? null : ctx.session().editors().get(handle);
  }

  /**
   * The edit open on {@code handle}. An object of a read-only storage is refused with
   * StoreReadOnly, which says why (no edit can be open there: BeginEditObject refuses).
   */
  static ObjectEditor editor(OperationContext ctx, int handle) throws IOException {
    ctx.objects().get(handle).storage().requireWritable();
    ObjectEditor e = ctx.session().editors().get(handle);
    // Android answers GeneralError here too; hosts always call BeginEditObject first.
    if (e == null) throw new MtpOperationException(ResponseCode.GENERAL_ERROR.value(), "object is not being edited (BeginEditObject first)");
    return e;
  }
}
