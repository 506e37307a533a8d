package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectIndex;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.responder.StorageSlot;
import io.mtpbridge.core.storage.ObjectMetadata;
import io.mtpbridge.core.storage.ObjectNames;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * 0x9805 GetObjectPropList (handle, format, property, group, depth).
 *
 * <ul>
 *   <li>handle and depth select objects as Android's responder does (see
 *       {@link ObjectSelection#propListScope}): handle 0 / 0xFFFFFFFF with depth 0xFFFFFFFF is
 *       every object, an object with depth 1 is its children and itself;
 *   <li>property 0xFFFFFFFF: all; 0: those of the group in parameter 4 (GroupNotSupported for a
 *       group no property is in); format 0: any.
 * </ul>
 *
 * <p>One folder (or one object) is answered from one listing: its length is computed in a first
 * pass over the values, then elements are encoded through a bounded buffer.
 *
 * <p>Every object (libmtp's device open asks for it) is streamed folder by folder in a data phase
 * of unknown length (0xFFFFFFFF), never holding the storage's list: the dataset starts with its
 * element count, so a first walk lists every folder afresh and counts (the handle index remembers
 * the folders' children, a few tens of bytes each), and a second walk answers from the index,
 * reading each folder's sizes and times again as it goes. The index does not change between the
 * walks (device-side changes wait for the request to end), so the count is exact; an object
 * deleted on the device in between is still answered, with the name and kind it had and no size
 * or times, and the host hears of its removal through the event that follows.
 */
public final class GetObjectPropList implements OperationHandler {
  private static final int ALL = 0xFFFFFFFF;
  private static final int CHUNK = 64 * 1024;

  @Override public int operationCode() { return OperationCode.GET_OBJECT_PROP_LIST.value(); }

  @Override
  public OperationResult handle(OperationContext ctx) throws IOException {
    int handle = ctx.param(0);
    int format = ctx.param(1);
    int propCode = ctx.param(2);
    int group = ctx.param(3);
    int depth = ctx.param(4);
    List<ObjectProperty> props = properties(ctx, propCode, group);
    ObjectSelection.PropListScope scope = ObjectSelection.propListScope(handle, depth);
    if (scope == ObjectSelection.PropListScope.EVERY_OBJECT) {
      everyObject(ctx, props, format);
    } else {
      collected(ctx, props, ObjectSelection.propListViews(ctx, scope, handle, format));
    }
    return OperationResult.ok();
  }

  /** One folder's worth (or one object): the exact length first, then the elements. */
  private static void collected(OperationContext ctx, List<ObjectProperty> props, List<ObjectView> objects) throws IOException {
    long count = 0;
    long length = 4;
    // one small method per loop: the JIT compiles each quickly (see ObjectIndex's reconciliation)
    for (ObjectView o : objects) {
      count += elements(o, props);
      length += encodedLength(o, props);
    }
    if (count > 0xFFFFFFFFL) throw new MtpOperationException(ResponseCode.GENERAL_ERROR.value(), "too many elements");
    DataOut out = ctx.sendData(length);
    // sized to the answer: one object's list (what mtp-files asks of every object) is a few
    // hundred bytes, and a 64 KiB buffer per request was nearly all the garbage of a listing
    ByteBuf buf = DataPhases.buffer((int) Math.min(length, CHUNK + 1024));
    try {
      ObjectPropList.writeCount(count, buf);
      for (ObjectView o : objects) encode(o, props, buf, out);
      flush(buf, out);
    } finally {
      buf.release();
    }
    out.close();
  }

  /** Every object of every storage: count in one walk, answer in a second, folder by folder. */
  private static void everyObject(OperationContext ctx, List<ObjectProperty> props, int format) throws IOException {
    List<StorageSlot> slots = ObjectSelection.storages(ctx, 0);
    Map<Integer, Integer> perFormat = new HashMap<>();
    ReentrantLock still = ctx.objects().walkLock();
    still.lock();
    try {
      long[] count = {0};
      Set<io.mtpbridge.core.responder.ObjectNode> skipped = ObjectSelection.walkListing(ctx, slots, (folder, listing) -> {
        for (ObjectMetadata m : listing.metadata()) {
          int f = ObjectActions.formatOf(m);
          if (ObjectSelection.matches(f, format)) count[0] += applicable(props, f, perFormat);
        }
      });
      if (count[0] > 0xFFFFFFFFL) throw new MtpOperationException(ResponseCode.GENERAL_ERROR.value(), "too many elements");
      DataOut out = ctx.sendData(DataIn.UNKNOWN_LENGTH);
      ByteBuf buf = DataPhases.buffer(CHUNK + 1024);
      long[] emitted = {0};
      try {
        ObjectPropList.writeCount(count[0], buf);
        ObjectSelection.walkKnown(ctx, slots, skipped, (folder, children) -> {
          Map<String, ObjectMetadata> now = readAgain(folder);
          for (int j = 0; j < children.size(); j++) {
            int f = children.formats[j];
            if (!ObjectSelection.matches(f, format)) continue;
            ObjectMetadata m = now.get(children.names[j]);
            if (m == null || m.folder() != children.folders[j]) {
              // gone (or replaced) since the first walk: what the index knows, without size or times
              m = new ObjectMetadata(children.names[j], children.folders[j], 0, null, null, false, false, 0, null);
            }
            emitted[0] += applicable(props, f, perFormat);
            if (emitted[0] > count[0]) throw new IOException("the objects changed between the count and the answer");
            encode(new ObjectView(children.node(j), m, f), props, buf, out);
          }
        });
        if (emitted[0] != count[0]) throw new IOException("the objects changed between the count and the answer");
        flush(buf, out);
      } finally {
        buf.release();
      }
      out.close();
    } finally {
      still.unlock();
    }
  }

  /** A folder's objects as the storage has them now, by name (nothing if it cannot be read any more). */
  private static Map<String, ObjectMetadata> readAgain(io.mtpbridge.core.responder.ObjectNode folder) throws IOException {
    Map<String, ObjectMetadata> byName = new HashMap<>();
    try (Stream<ObjectMetadata> s = folder.storage().storage().list(folder.path())) {
      s.filter(m -> ObjectNames.isValid(m.name())).forEach(m -> byName.put(m.name(), m));
    } catch (UncheckedIOException | IOException e) {
      // the objects are answered with what the index knows
    }
    return byName;
  }

  private static int applicable(List<ObjectProperty> props, int format, Map<Integer, Integer> perFormat) {
    Integer n = perFormat.get(format);
    if (n == null) {
      int c = 0;
      for (ObjectProperty p : props) if (p.appliesTo(format)) c++;
      perFormat.put(format, c);
      n = c;
    }
    return n;
  }

  /** How many of {@code props} apply to the object. */
  private static int elements(ObjectView o, List<ObjectProperty> props) {
    int n = 0;
    for (ObjectProperty p : props) if (p.appliesTo(o.formatCode())) n++;
    return n;
  }

  /** Bytes the object's elements take. */
  private static long encodedLength(ObjectView o, List<ObjectProperty> props) throws IOException {
    long n = 0;
    for (ObjectProperty p : props) if (p.appliesTo(o.formatCode())) n += 8 + p.encodedLength(o);
    return n;
  }

  private static void encode(ObjectView o, List<ObjectProperty> props, ByteBuf buf, DataOut out) throws IOException {
    for (ObjectProperty p : props) {
      if (!p.appliesTo(o.formatCode())) continue;
      p.writeElement(o, buf);
      if (buf.readableBytes() >= CHUNK) flush(buf, out);
    }
  }

  private static void flush(ByteBuf buf, DataOut out) throws IOException {
    var nio = buf.nioBuffer();
    while (nio.hasRemaining()) out.write(nio);
    buf.clear();
  }

  private static List<ObjectProperty> properties(OperationContext ctx, int propCode, int group) throws MtpOperationException {
    var registry = ctx.objectProperties();
    if (propCode == ALL) return new ArrayList<>(registry.all());
    if (propCode != 0) return List.of(registry.get(propCode));
    if (group == 0) throw new MtpOperationException(ResponseCode.SPECIFICATION_BY_GROUP_UNSUPPORTED.value(), "property 0 needs a group code");
    List<ObjectProperty> out = new ArrayList<>();
    for (ObjectProperty p : registry.all()) if (p.groupCode() == group) out.add(p);
    if (out.isEmpty()) throw new MtpOperationException(ResponseCode.GROUP_NOT_SUPPORTED.value(), "no property in group " + group);
    return out;
  }
}
