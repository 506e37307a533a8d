package io.mtpbridge.core.property;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.OperationContext;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * An object property. Registering one makes it appear in GetObjectPropsSupported (for the formats
 * it applies to), GetObjectPropDesc and GetObjectPropList.
 */
public interface ObjectProperty {

  /** Form flag of the description: none. */
  int FORM_NONE = 0x00;
  /** Form flag of the description: a DateTime string. */
  int FORM_DATE_TIME = 0x03;

  int code();

  DataType dataType();

  /** True when the host may set it (SetObjectPropValue / SetObjectPropList). */
  boolean writable();

  /**
   * The group the property belongs to for GetObjectPropList by group (0 = none). Groups let a
   * host fetch the cheap listing properties in one request.
   */
  default int groupCode() { return 0; }

  /** The ObjectPropDesc form flag; {@link #FORM_NONE} or {@link #FORM_DATE_TIME}. */
  default int formFlag() { return FORM_NONE; }

  /** Whether objects of {@code formatCode} carry this property. */
  default boolean appliesTo(int formatCode) { return true; }

  PropertyValue defaultValue();

  PropertyValue value(ObjectView object) throws IOException;

  /**
   * Bytes the value takes on the wire, for sizing a property list before streaming it. Fixed-size
   * types answer without computing the value.
   */
  default int encodedLength(ObjectView object) throws IOException {
    return dataType().isScalar() ? dataType().size() : value(object).encodedLength();
  }

  /**
   * Writes this property's ObjectPropList element for {@code object} (handle, code, data type,
   * value): the bytes of {@code new ObjectPropList.Element(handle, code(), value(object)).encode(out)}.
   * A property of a listing that is asked of every object may write them without building the
   * value (see {@link SimpleObjectProperty}).
   */
  default void writeElement(ObjectView object, ByteBuf out) throws IOException {
    new ObjectPropList.Element(object.node().handle(), code(), value(object)).encode(out);
  }

  /** Sets the value the host sent (decoded as {@link #dataType()}). */
  default void set(OperationContext context, ObjectView object, PropertyValue value) throws IOException {
    throw new MtpOperationException(ResponseCode.ACCESS_DENIED.value(), "object property is read-only");
  }
}
