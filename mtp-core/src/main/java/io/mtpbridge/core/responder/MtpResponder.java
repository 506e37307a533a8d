package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.event.EventDispatcher;
import io.mtpbridge.core.property.DevicePropertyRegistry;
import io.mtpbridge.core.property.ObjectPropertyRegistry;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.core.storage.StorageException;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.MtpProtocolException;
import io.mtpbridge.core.transport.MtpTransport;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.core.transport.TransportClosedException;
import io.mtpbridge.core.transport.TransportResetException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTP responder: the session and transaction state machine in front of the operation handlers.
 * Built with {@link #builder()}; {@link #serve} runs the protocol loop on the caller's thread.
 *
 * <p>Whatever the host sends, the loop never ends with an exception: a refused request gets its
 * response code, an unexpected failure is logged and answered with GeneralError, a cancelled
 * transaction gets no response, and a reset closes the session and waits for the next host.
 */
public final class MtpResponder {
  private static final Logger log = LoggerFactory.getLogger(MtpResponder.class);

  private final DeviceIdentity identity;
  private final String vendorExtensions;
  private final Map<Integer, OperationHandler> handlers;
  private final StorageRegistry storages;
  private final ObjectIndex objects;
  private final List<SessionListener> sessionListeners;
  private final DevicePropertyRegistry deviceProperties;
  private final ObjectPropertyRegistry objectProperties;
  private final Set<Integer> supportedFormats;
  private final EventDispatcher events;
  private final ObjectReferences references;
  private volatile Session session;
  private volatile MtpTransport transport;
  private final AtomicLong unexpectedFailures = new AtomicLong();

  MtpResponder(DeviceIdentity identity, String vendorExtensions, Map<Integer, OperationHandler> handlers,
               StorageRegistry storages, ObjectIndex objects, List<SessionListener> sessionListeners,
               DevicePropertyRegistry deviceProperties, ObjectPropertyRegistry objectProperties,
               Set<Integer> supportedFormats, EventDispatcher events, ObjectReferences references) {
    this.identity = identity;
    this.vendorExtensions = vendorExtensions;
    this.handlers = Map.copyOf(handlers);
    this.storages = storages;
    this.objects = objects;
    this.sessionListeners = new CopyOnWriteArrayList<>(sessionListeners);
    this.deviceProperties = deviceProperties;
    this.objectProperties = objectProperties;
    this.supportedFormats = Set.copyOf(supportedFormats);
    this.events = events;
    this.references = references;
  }

  /**
   * A builder with no operation installed; install an operation set first, usually
   * {@code .install(StandardOperations.SET)}.
   */
  public static ResponderBuilder builder() { return new ResponderBuilder(); }

  public DeviceIdentity identity() { return identity; }

  /** The DeviceInfo VendorExtensionDesc: the base entry and every extension entry, each ending in ';'. */
  public String vendorExtensions() { return vendorExtensions; }

  /** Registered handlers by operation code (the single source of OperationsSupported). */
  public Map<Integer, OperationHandler> handlers() { return handlers; }

  public StorageRegistry storages() { return storages; }
  public ObjectIndex objects() { return objects; }
  public DevicePropertyRegistry deviceProperties() { return deviceProperties; }
  public ObjectPropertyRegistry objectProperties() { return objectProperties; }
  public EventDispatcher events() { return events; }

  /** Object references kept across sessions and restarts, or null when none are kept (the operations are then not offered). */
  public ObjectReferences references() { return references; }

  /** Object formats the device offers (Association, Undefined and the common media formats). */
  public Set<Integer> supportedFormats() { return supportedFormats; }

  /** The open session, or null. */
  public Session session() { return session; }

  /** Adds a storage while the device runs; the host gets StoreAdded. */
  public StorageSlot addStorage(Storage storage) {
    StorageSlot slot = storages.add(storage);
    events.storageAdded(slot);
    return slot;
  }

  /** Removes a storage while the device runs; its handles become invalid and the host gets StoreRemoved. */
  public void removeStorage(int storageId) {
    StorageSlot slot = storages.remove(storageId);
    if (slot == null) return;
    slot.storage().setListener(null);
    objects.forgetStorage(slot);
    events.storageRemoved(slot);
  }

  // ---- the protocol loop ----

  /**
   * Serves {@code transport} until it is closed. Sessions end on reset; the loop then waits for
   * the next host.
   *
   * @throws ResponderFailedException when the responder cannot go on safely (see {@link ObjectIndex#isDamaged()})
   */
  public void serve(MtpTransport transport) {
    this.transport = transport;
    events.attach(transport);
    int failures = 0;
    try {
      while (true) {
        Command command;
        try {
          command = transport.receiveCommand();
          failures = 0;
        } catch (TransportClosedException e) {
          log.info("transport closed: {}", e.getMessage());
          return;
        } catch (TransportResetException e) {
          log.info("transport reset: {}", e.getMessage());
          endSession(SessionListener.End.RESET);
          continue;
        } catch (IOException e) {
          // A framing error the transport could not resolve itself: treat like a reset, but give
          // up on a transport that keeps failing rather than spin.
          log.warn("receiving a command failed: {}", e.toString());
          endSession(SessionListener.End.RESET);
          if (++failures >= 100) {
            log.error("transport failed {} times in a row; stopping", failures);
            return;
          }
          continue;
        }
        try {
          transaction(transport, command);
        } catch (TransportClosedException e) {
          log.info("transport closed during {}: {}", command, e.getMessage());
          return;
        }
        if (objects.isDamaged()) {
          log.error("the handle index was left half-updated by a failure; stopping rather than serve wrong handles");
          throw new ResponderFailedException("handle index damaged during " + OperationCode.nameOf(command.code()));
        }
      }
    } finally {
      endSession(SessionListener.End.TRANSPORT_CLOSED);
      events.detach();
      this.transport = null;
    }
  }

  private void transaction(MtpTransport t, Command command) throws TransportClosedException {
    OperationHandler handler = handlers.get(command.code());
    Session s = session;
    TransactionContext ctx = new TransactionContext(this, t, command, s);
    OperationResult result;
    try {
      result = precheck(handler, command, s);
      if (result == null) {
        if (log.isDebugEnabled()) log.debug("{} {}", OperationCode.nameOf(command.code()), command);
        result = handler.handle(ctx);
      }
      finishDataPhase(ctx, handler);
    } catch (TransactionCancelledException e) {
      log.info("{} cancelled by the host", OperationCode.nameOf(command.code()));
      abandonDataPhase(ctx);
      return;
    } catch (TransportResetException e) {
      log.info("reset during {}: {}", OperationCode.nameOf(command.code()), e.getMessage());
      abandonDataPhase(ctx);
      endSession(SessionListener.End.RESET);
      return;
    } catch (TransportClosedException e) {
      throw e;
    } catch (OutOfMemoryError | StackOverflowError e) {
      // A request too big for this device (a gigantic folder on a small heap, an absurdly deep
      // tree): refuse it and keep serving; the memory is free again once the request is dropped.
      unexpectedFailures.incrementAndGet();
      log.error("{} exhausted {}", OperationCode.nameOf(command.code()), e instanceof OutOfMemoryError ? "the heap" : "the stack");
      abandonDataPhase(ctx);
      result = OperationResult.of(ResponseCode.GENERAL_ERROR.value());
    } catch (Exception e) {
      result = failure(command, e, ctx);
      try {
        finishDataPhase(ctx, handler);
      } catch (TransactionCancelledException c) {
        abandonDataPhase(ctx);
        return;
      } catch (TransportResetException r) {
        abandonDataPhase(ctx);
        endSession(SessionListener.End.RESET);
        return;
      } catch (TransportClosedException c) {
        throw c;
      } catch (Exception again) {
        log.debug("closing the data phase after an error failed too: {}", again.toString());
      }
    }
    try {
      t.sendResponse(new Response(result.code(), command.transactionId(), result.params()));
    } catch (TransactionCancelledException e) {
      log.info("{} cancelled before its response", OperationCode.nameOf(command.code()));
    } catch (TransportResetException e) {
      endSession(SessionListener.End.RESET);
    } catch (TransportClosedException e) {
      throw e;
    } catch (IOException e) {
      log.warn("sending the response to {} failed: {}", command, e.toString());
    }
  }

  /** The session and transaction-id rules checked before any handler runs; null when they pass. */
  private OperationResult precheck(OperationHandler handler, Command command, Session s) {
    if (handler == null) {
      log.info("unsupported operation {}", OperationCode.nameOf(command.code()));
      return OperationResult.of(ResponseCode.OPERATION_NOT_SUPPORTED.value());
    }
    if (!handler.requiresSession()) return null;
    if (s == null) return OperationResult.of(ResponseCode.SESSION_NOT_OPEN.value());
    int tid = command.transactionId();
    // go-mtpfs closes a stale session with TransactionID 0, so CloseSession is exempt.
    if (command.code() != OperationCode.CLOSE_SESSION.value()) {
      if (tid == 0 || tid == 0xFFFFFFFF || (tid == s.lastTransactionId() && s.lastTransactionId() != 0)) {
        return OperationResult.of(ResponseCode.INVALID_TRANSACTION_ID.value());
      }
    }
    s.lastTransactionId(tid);
    return null;
  }

  private OperationResult failure(Command command, Exception e, TransactionContext ctx) {
    String op = OperationCode.nameOf(command.code());
    if (e instanceof MtpOperationException m) {
      log.info("{} refused: {} ({})", op, ResponseCode.nameOf(m.responseCode()), m.getMessage());
      return OperationResult.of(m.responseCode(), m.params());
    }
    if (e instanceof StorageException se) {
      int code = ErrorCodes.forStorageError(se.error());
      log.info("{} refused by the storage: {} ({})", op, ResponseCode.nameOf(code), se.getMessage());
      return OperationResult.of(code);
    }
    if (e instanceof MtpProtocolException pe) {
      log.warn("{}: protocol error {}", op, pe.getMessage());
      return OperationResult.of(pe.responseCode());
    }
    Integer datasetCode = DatasetErrors.responseCodeOf(e);
    if (datasetCode != null) {
      log.info("{}: malformed dataset from the host: {}", op, e.getMessage());
      return OperationResult.of(datasetCode);
    }
    if (e instanceof IOException) {
      log.warn("{} failed: {}", op, e.toString());
      int code = ctx.dataIn() != null ? ResponseCode.INCOMPLETE_TRANSFER.value() : ResponseCode.GENERAL_ERROR.value();
      return OperationResult.of(code);
    }
    unexpectedFailures.incrementAndGet();
    log.error("{} failed unexpectedly", op, e);
    return OperationResult.of(ResponseCode.GENERAL_ERROR.value());
  }

  /**
   * Ends the data phase properly: a host data phase the handler never opened (it refused early)
   * or did not read to the end is drained, a device data phase is closed.
   */
  private void finishDataPhase(TransactionContext ctx, OperationHandler handler) throws IOException {
    DataIn in = ctx.dataIn();
    DataOut out = ctx.dataOut();
    if (in == null && out == null && handler != null && handler.receivesData()) in = ctx.receiveData();
    if (in != null && in.isOpen()) in.close();
    if (out != null && out.isOpen()) out.close();
  }

  private void abandonDataPhase(TransactionContext ctx) {
    try {
      if (ctx.dataIn() != null && ctx.dataIn().isOpen()) ctx.dataIn().close();
    } catch (IOException ignored) {
      // the transaction is gone; the transport resynchronises on the next command
    }
    try {
      if (ctx.dataOut() != null && ctx.dataOut().isOpen()) ctx.dataOut().close();
    } catch (IOException ignored) {
      // as above
    }
  }

  // ---- sessions (driven by the OpenSession / CloseSession handlers and by resets) ----

  /** Opens session {@code id}; the OpenSession handler has checked the rules. */
  public void openSession(int id) {
    Session s = new Session(id);
    session = s;
    events.sessionOpened(s);
    for (StorageSlot slot : storages.all()) {
      slot.storage().setListener(events.listenerFor(slot));
      // Folders the host listed in an earlier session keep their handles; watch them again.
      for (var folder : objects.listedFoldersForNewSession(slot)) slot.storage().watch(folder);
    }
    for (SessionListener l : sessionListeners) {
      try {
        l.sessionOpened(id);
      } catch (RuntimeException e) {
        log.error("session listener {} failed on open", l, e);
      }
    }
    log.info("session {} opened", id);
  }

  /** Ends the open session, if any: aborts pending uploads and edits, stops events (handles stay valid). */
  public void endSession(SessionListener.End reason) {
    Session s = session;
    if (s == null) return;
    // What the host stored is durable before the session's end is answered (CloseSession) or the host is gone.
    for (StorageSlot slot : storages.all()) {
      try {
        slot.storage().sync();
      } catch (IOException | RuntimeException e) {
        log.error("making what the host stored on {} durable failed at session end: {}", slot.storage(), e.toString());
      }
    }
    session = null;
    events.sessionClosed();
    for (StorageSlot slot : storages.all()) {
      slot.storage().setListener(null);
      slot.storage().unwatchAll();
    }
    s.pendingObject(null);
    for (var editor : s.editors().values()) {
      try {
        editor.close();
      } catch (IOException | RuntimeException e) {
        log.warn("closing an edit at session end failed: {}", e.toString());
      }
    }
    s.editors().clear();
    // Handles are kept: MTP hosts (libmtp's mtp-files then mtp-getfile, WPD caches) reuse an
    // object's handle in the next session, so a handle names its object for the responder's life.
    for (SessionListener l : sessionListeners) {
      try {
        l.sessionClosed(s.id(), reason);
      } catch (RuntimeException e) {
        log.error("session listener {} failed on close", l, e);
      }
    }
    log.info("session {} ended ({})", s.id(), reason);
  }

  /**
   * How many transactions failed with an exception no handler anticipated (a bug: they were
   * answered GeneralError). Monitoring and the fuzz tests watch it stay 0.
   */
  public long unexpectedFailures() { return unexpectedFailures.get(); }

  /** Device-side changes the event thread dropped after a failure nobody anticipated (each logged at WARN). */
  public long unexpectedEventFailures() { return events.unexpectedFailures(); }

  /** Registers a listener after construction (e.g. a module wired later). */
  public void addSessionListener(SessionListener l) { sessionListeners.add(l); }

  /** Event codes the device may send (the single source of DeviceInfo's EventsSupported). */
  public Set<Integer> supportedEvents() { return events.supported(); }

  /**
   * The DeviceInfo dataset: operations from the registered handlers, events from the event
   * dispatcher, device properties from their registry, formats from what was installed. So the
   * device advertises exactly what it implements.
   */
  public DeviceInfo deviceInfo() {
    int[] ops = handlers.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] eventCodes = supportedEvents().stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] formats = supportedFormats.stream().mapToInt(Integer::intValue).toArray();
    return new DeviceInfo(DeviceInfo.MTP_STANDARD_VERSION, DeviceInfo.MICROSOFT_VENDOR_EXTENSION_ID,
        DeviceInfo.MTP_VENDOR_EXTENSION_VERSION, vendorExtensions, 0, ops, eventCodes,
        deviceProperties.codes(), new int[0], formats, identity.manufacturer(), identity.model(), identity.deviceVersion(),
        identity.serialNumber());
  }
}
