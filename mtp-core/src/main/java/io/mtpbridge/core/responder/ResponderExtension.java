package io.mtpbridge.core.responder;

/**
 * A set of operations (and the properties, formats, listeners they bring) that installs itself
 * into a {@link ResponderBuilder}: the standard MTP operation set, the backup bridge's vendor
 * operations. The builder knows no operation by name; what is installed is what DeviceInfo
 * advertises.
 */
public interface ResponderExtension {
  void installInto(ResponderBuilder builder);
}
