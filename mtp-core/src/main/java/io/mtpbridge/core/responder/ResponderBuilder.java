package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.DevicePropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.event.EventDispatcher;
import io.mtpbridge.core.property.DeviceProperty;
import io.mtpbridge.core.property.DevicePropertyRegistry;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.property.ObjectPropertyRegistry;
import io.mtpbridge.core.property.StringDeviceProperty;
import io.mtpbridge.core.property.Uint32DeviceProperty;
import io.mtpbridge.core.storage.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configures a {@link MtpResponder}: identity, storages, and the extension points (operation
 * sets, extra operation handlers for vendor codes, vendor-extension entries, device and object
 * properties, session listeners). Everything registered here is what DeviceInfo advertises, and
 * nothing else. The builder knows no operation by name: the standard set installs itself.
 *
 * <pre>{@code
 * MtpResponder r = MtpResponder.builder()
 *     .install(StandardOperations.SET)
 *     .identity(new DeviceIdentity("Acme", "Gadget", "1.0", "0123456789"))
 *     .friendlyNameFile(Path.of("/var/lib/mtpd/friendly-name"))
 *     .addStorage(fsStorage)
 *     .addVendorExtension("mtpbridge.io/backup: 1.0;")
 *     .addOperation(new GetBackupOwners(engine))
 *     .addSessionListener(bridge)
 *     .build();
 * }</pre>
 */
public final class ResponderBuilder {
  /** The default VendorExtensionDesc base entry; see usb-interop.md for why not android.com. */
  public static final String DEFAULT_VENDOR_EXTENSION = "microsoft.com: 1.0;";

  /**
   * Set by {@link #identity}; when it never is, {@link #build} uses a default whose serial is
   * derived from the machine-id, or a random one (so devices that never set their identity do not
   * all share one serial). Not made before it is known to be needed: deriving the serial loads the
   * JDK's security providers (~100 classes, at every start of a device that gives its own).
   */
  private DeviceIdentity identity;
  private String friendlyName;
  private Path friendlyNameFile;
  private Path referencesFile;
  private String synchronizationPartner = "";
  private long perceivedDeviceType = 0; // generic
  private String vendorExtension = DEFAULT_VENDOR_EXTENSION;
  private final List<String> extraVendorExtensions = new ArrayList<>();
  final Map<Integer, OperationHandler> handlers = new LinkedHashMap<>();
  final StorageRegistry storages = new StorageRegistry();
  final List<SessionListener> sessionListeners = new ArrayList<>();
  final DevicePropertyRegistry.Builder deviceProperties = new DevicePropertyRegistry.Builder();
  final ObjectPropertyRegistry.Builder objectProperties = new ObjectPropertyRegistry.Builder();
  private final List<DeviceProperty> extraDeviceProperties = new ArrayList<>();
  final Set<Integer> formats = new LinkedHashSet<>();
  final Set<Integer> events = new LinkedHashSet<>(EventDispatcher.DEFAULT_EVENTS);
  long eventCoalesceMillis = 200;

  ResponderBuilder() {}

  /** Lets {@code extension} register its operations, properties, formats and listeners. */
  public ResponderBuilder install(ResponderExtension extension) {
    extension.installInto(this);
    return this;
  }

  public ResponderBuilder identity(DeviceIdentity identity) {
    this.identity = Objects.requireNonNull(identity);
    return this;
  }

  /** The identity given, or the default one (made once, the first time it is asked for). */
  private DeviceIdentity identity() {
    if (identity == null) {
      identity = new DeviceIdentity("MTP Bridge", "MTP Bridge device", "0.1",
          DeviceIdentity.machineSerial().orElseGet(DeviceIdentity::randomSerial));
    }
    return identity;
  }

  /** The initial DeviceFriendlyName (default: the model). */
  public ResponderBuilder friendlyName(String name) {
    this.friendlyName = Objects.requireNonNull(name);
    return this;
  }

  /** Where a DeviceFriendlyName set by the host is kept across restarts. */
  public ResponderBuilder friendlyNameFile(Path file) {
    this.friendlyNameFile = file;
    return this;
  }

  /**
   * Where object references (GetObjectReferences / SetObjectReferences: playlists) are kept across
   * sessions and restarts. Without it the two operations are not offered: references that vanish
   * at the next restart would lose the host's playlists.
   */
  public ResponderBuilder referencesFile(Path file) {
    this.referencesFile = file;
    return this;
  }

  public ResponderBuilder synchronizationPartner(String partner) {
    this.synchronizationPartner = Objects.requireNonNull(partner);
    return this;
  }

  /** PerceivedDeviceType: 0 generic, 1 still camera, 2 media player, 3 mobile handset, ... */
  public ResponderBuilder perceivedDeviceType(long type) {
    this.perceivedDeviceType = type;
    return this;
  }

  /** Replaces the base vendor extension entry (default {@value #DEFAULT_VENDOR_EXTENSION}). */
  public ResponderBuilder vendorExtension(String entry) {
    this.vendorExtension = checkEntry(entry);
    return this;
  }

  /** Adds a vendor extension entry such as {@code mtpbridge.io/backup: 1.0;}. */
  public ResponderBuilder addVendorExtension(String entry) {
    extraVendorExtensions.add(checkEntry(entry));
    return this;
  }

  private static String checkEntry(String entry) {
    String e = entry.strip();
    // libmtp drops an unterminated last entry.
    if (!e.isEmpty() && !e.endsWith(";")) throw new IllegalArgumentException("a vendor extension entry must end with ';': " + entry);
    return e;
  }

  String vendorExtensionString() {
    StringBuilder sb = new StringBuilder(vendorExtension);
    for (String e : extraVendorExtensions) {
      if (sb.length() > 0) sb.append(' ');
      sb.append(e);
    }
    return sb.toString();
  }

  /** Adds a storage with the next free StorageID (0x00010001, 0x00020001, ...). */
  public ResponderBuilder addStorage(Storage storage) {
    storages.add(storage);
    return this;
  }

  /** Adds a storage with a given StorageID (its low 16 bits must not be 0). */
  public ResponderBuilder addStorage(int storageId, Storage storage) {
    storages.add(storageId, storage);
    return this;
  }

  /** Registers a handler for a code no other handler has (vendor operations). */
  public ResponderBuilder addOperation(OperationHandler handler) {
    if (handlers.containsKey(handler.operationCode())) {
      throw new IllegalArgumentException(String.format("operation 0x%04X already has a handler; use replaceOperation", handler.operationCode()));
    }
    handlers.put(handler.operationCode(), handler);
    return this;
  }

  /** Registers a handler, replacing a standard one. */
  public ResponderBuilder replaceOperation(OperationHandler handler) {
    handlers.put(handler.operationCode(), handler);
    return this;
  }

  /** Withdraws an operation (it is then neither handled nor advertised). */
  public ResponderBuilder removeOperation(int code) {
    handlers.remove(code);
    return this;
  }

  public ResponderBuilder addDeviceProperty(DeviceProperty property) {
    extraDeviceProperties.add(property);
    return this;
  }

  public ResponderBuilder addObjectProperty(ObjectProperty property) {
    objectProperties.add(property);
    return this;
  }

  /** Adds an object format code to the formats advertised. */
  public ResponderBuilder addFormat(int formatCode) {
    formats.add(formatCode);
    return this;
  }

  public ResponderBuilder addSessionListener(SessionListener listener) {
    sessionListeners.add(Objects.requireNonNull(listener));
    return this;
  }

  /** How long device-side changes are collected before events go out (default 200 ms). */
  public ResponderBuilder eventCoalesceMillis(long millis) {
    if (millis < 0) throw new IllegalArgumentException("negative window");
    this.eventCoalesceMillis = millis;
    return this;
  }

  public MtpResponder build() {
    if (!handlers.containsKey(OperationCode.GET_DEVICE_INFO.value()) || !handlers.containsKey(OperationCode.OPEN_SESSION.value())) {
      throw new IllegalStateException("no GetDeviceInfo / OpenSession handler: install an operation set, e.g. builder.install(StandardOperations.SET)");
    }
    deviceProperties.add(new StringDeviceProperty(DevicePropertyCode.DEVICE_FRIENDLY_NAME.value(),
        friendlyName != null ? friendlyName : identity().model(), true, friendlyNameFile));
    deviceProperties.add(new StringDeviceProperty(DevicePropertyCode.SYNCHRONIZATION_PARTNER.value(), synchronizationPartner, true, null));
    deviceProperties.add(new Uint32DeviceProperty(DevicePropertyCode.PERCEIVED_DEVICE_TYPE.value(), perceivedDeviceType));
    for (DeviceProperty p : extraDeviceProperties) deviceProperties.add(p);
    // Built in dependency order, so nothing sees a half-constructed responder: the index and the
    // storages first, events from them, device properties reporting their changes to the events.
    ObjectReferences references = referencesFile == null ? null : ObjectReferences.open(referencesFile);
    if (references == null) {
      handlers.remove(OperationCode.GET_OBJECT_REFERENCES.value());
      handlers.remove(OperationCode.SET_OBJECT_REFERENCES.value());
    }
    ObjectIndex objects = new ObjectIndex();
    EventDispatcher dispatcher = new EventDispatcher(objects, storages, events, eventCoalesceMillis);
    return new MtpResponder(identity(), vendorExtensionString(), handlers, storages, objects, sessionListeners,
        deviceProperties.build(dispatcher::devicePropChanged), objectProperties.build(), formats, dispatcher, references);
  }
}
