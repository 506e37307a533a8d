package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.property.StandardObjectProperties;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.ResponderBuilder;
import io.mtpbridge.core.responder.ResponderExtension;
import java.util.List;

/**
 * The standard MTP operation set: one handler per operation, the standard object properties they
 * serve and the object formats the device advertises. Installs itself into a builder:
 * {@code MtpResponder.builder().install(StandardOperations.SET)}.
 */
public final class StandardOperations implements ResponderExtension {
  public static final StandardOperations SET = new StandardOperations();

  private StandardOperations() {}

  /** Every standard operation this responder implements, one handler each. */
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

  @Override
  public void installInto(ResponderBuilder builder) {
    for (OperationHandler h : all()) builder.replaceOperation(h);
    for (ObjectProperty p : StandardObjectProperties.all()) builder.addObjectProperty(p);
    builder.addFormat(ObjectFormat.UNDEFINED.value());
    builder.addFormat(ObjectFormat.ASSOCIATION.value());
    for (ObjectFormat f : ObjectFormat.values()) if (!f.extensions().isEmpty()) builder.addFormat(f.value());
  }
}
