package io.mtpbridge.core.operations;

import io.mtpbridge.core.responder.OperationHandler;
import java.util.List;

/** Every standard operation this responder implements, one handler each. */
public final class StandardOperations {
  private StandardOperations() {}

  public static List<OperationHandler> all() {
    return List.of(
        new GetDeviceInfo(), new OpenSession(), new CloseSession(), new GetStorageIds(), new GetStorageInfo(),
        new GetNumObjects(), new GetObjectHandles(), new GetObjectInfo(), new GetObject(), new DeleteObject(),
        new SendObjectInfo(), new SendObject(), new GetDevicePropDesc(), new GetDevicePropValue(),
        new SetDevicePropValue(), new ResetDevicePropValue(), new MoveObject(), new CopyObject(),
        new GetPartialObject(), new GetObjectPropsSupported(), new GetObjectPropDesc(), new GetObjectPropValue(),
        new SetObjectPropValue(), new GetObjectPropList(), new SetObjectPropList(), new SendObjectPropList(),
        new GetObjectReferences(), new SetObjectReferences(), new GetPartialObject64(), new SendPartialObject(),
        new TruncateObject(), new BeginEditObject(), new EndEditObject());
  }
}
