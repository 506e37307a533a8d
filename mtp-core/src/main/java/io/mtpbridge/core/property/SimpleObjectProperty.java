package io.mtpbridge.core.property;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.OperationContext;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/** An object property made of a getter and an optional setter. */
public final class SimpleObjectProperty implements ObjectProperty {

  @FunctionalInterface
  public interface Getter { PropertyValue get(ObjectView object) throws IOException; }

  /** The encoded length of the value, computed without building it (for sizing long lists). */
  @FunctionalInterface
  public interface Length { int of(ObjectView object); }

  @FunctionalInterface
  public interface Setter { void set(OperationContext context, ObjectView object, PropertyValue value) throws IOException; }

  /**
   * Writes the value's bytes (of the property's data type) as the getter's value would encode,
   * without building it: for the properties a listing asks of every object.
   */
  @FunctionalInterface
  public interface Writer { void write(ObjectView object, ByteBuf out) throws IOException; }

  private final int code;
  private final DataType type;
  private final int group;
  private final int form;
  private final Getter getter;
  private final Setter setter;
  private final Length length;
  private final Writer writer;

  public SimpleObjectProperty(int code, DataType type, int group, int form, Getter getter, Setter setter) {
    this(code, type, group, form, getter, setter, null);
  }

  public SimpleObjectProperty(int code, DataType type, int group, int form, Getter getter, Setter setter, Length length) {
    this(code, type, group, form, getter, setter, length, null);
  }

  /**
   * @param length the encoded length without building the value, or null
   * @param writer the value's bytes without building it, or null; must write what the getter's
   *     value encodes to, as a value of {@code type}
   */
  public SimpleObjectProperty(int code, DataType type, int group, int form, Getter getter, Setter setter, Length length, Writer writer) {
    this.length = length;
    this.writer = writer;
    this.code = code;
    this.type = type;
    this.group = group;
    this.form = form;
    this.getter = getter;
    this.setter = setter;
  }

  @Override public int code() { return code; }
  @Override public DataType dataType() { return type; }
  @Override public boolean writable() { return setter != null; }
  @Override public int groupCode() { return group; }
  @Override public int formFlag() { return form; }
  @Override public PropertyValue defaultValue() { return PropertyValue.zero(type); }
  @Override public PropertyValue value(ObjectView object) throws IOException { return getter.get(object); }

  @Override
  public int encodedLength(ObjectView object) throws IOException {
    return length != null ? length.of(object) : ObjectProperty.super.encodedLength(object);
  }

  @Override
  public void writeElement(ObjectView object, ByteBuf out) throws IOException {
    if (writer == null) {
      ObjectProperty.super.writeElement(object, out);
      return;
    }
    ObjectPropList.writeElementHeader(object.node().handle(), code, type, out);
    writer.write(object, out);
  }

  @Override
  public void set(OperationContext context, ObjectView object, PropertyValue value) throws IOException {
    if (setter == null) {
      ObjectProperty.super.set(context, object, value);
      return;
    }
    setter.set(context, object, value);
  }
}
