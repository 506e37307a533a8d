package io.mtpbridge.core.property;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.responder.MtpOperationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The object properties, by code: the single source of GetObjectPropsSupported. */
public final class ObjectPropertyRegistry {
  private final Map<Integer, ObjectProperty> properties;

  private ObjectPropertyRegistry(Map<Integer, ObjectProperty> properties) { this.properties = properties; }

  /** The property for {@code code}, or ObjectPropNotSupported. */
  public ObjectProperty get(int code) throws MtpOperationException {
    ObjectProperty p = properties.get(code);
    if (p == null) throw new MtpOperationException(ResponseCode.OBJECT_PROP_NOT_SUPPORTED.value(), String.format("object property 0x%04X", code));
    return p;
  }

  /** The property for {@code code}, or null. */
  public ObjectProperty find(int code) { return properties.get(code); }

  public Collection<ObjectProperty> all() { return properties.values(); }

  /** The properties objects of {@code formatCode} carry, in registration order. */
  public List<ObjectProperty> forFormat(int formatCode) {
    List<ObjectProperty> out = new ArrayList<>();
    for (ObjectProperty p : properties.values()) if (p.appliesTo(formatCode)) out.add(p);
    return out;
  }

  public static final class Builder {
    private final Map<Integer, ObjectProperty> properties = new LinkedHashMap<>();

    public Builder add(ObjectProperty p) {
      properties.put(p.code(), p);
      return this;
    }

    public ObjectPropertyRegistry build() {
      return new ObjectPropertyRegistry(Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
    }
  }
}
