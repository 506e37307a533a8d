package io.mtpbridge.core.operations;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.property.ObjectProperty;
import io.mtpbridge.core.property.ObjectView;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.responder.OperationContext;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.OperationResult;
import io.mtpbridge.core.transport.DataOut;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * 0x9805 GetObjectPropList (handle, format, property, group, depth).
 *
 * <ul>
 *   <li>handle 0 or 0xFFFFFFFF with depth 1: the storage roots' children; handle 0xFFFFFFFF with
 *       depth 0 or 0xFFFFFFFF, and handle 0 with depth 0xFFFFFFFF: every object of every storage;
 *   <li>depth 0: the object itself; 1: its children (how libmtp lists a folder); 0xFFFFFFFF: all
 *       objects below it; other depths: SpecificationByDepthUnsupported;
 *   <li>property 0xFFFFFFFF: all; 0: those of the group in parameter 4 (GroupNotSupported for a
 *       group no property is in); format 0: any.
 * </ul>
 * The list is streamed: its length is computed in a first pass over the values, then elements are
 * encoded through a bounded buffer, so 100,000 objects never make one giant dataset in memory.
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
    List<ObjectView> objects = objects(ctx, handle, format, depth);

    long count = 0;
    long length = 4;
    for (ObjectView o : objects) {
      for (ObjectProperty p : props) {
        if (!p.appliesTo(o.formatCode())) continue;
        count++;
        length += 8 + p.encodedLength(o);
      }
    }
    if (count > 0xFFFFFFFFL) throw new MtpOperationException(ResponseCode.GENERAL_ERROR.value(), "too many elements");
    DataOut out = ctx.sendData(length);
    ByteBuf buf = DataPhases.buffer(CHUNK + 1024);
    try {
      ObjectPropList.writeCount(count, buf);
      for (ObjectView o : objects) {
        for (ObjectProperty p : props) {
          if (!p.appliesTo(o.formatCode())) continue;
          PropertyValue v = p.value(o);
          new ObjectPropList.Element(o.node().handle(), p.code(), v).encode(buf);
          if (buf.readableBytes() >= CHUNK) flush(buf, out);
        }
      }
      flush(buf, out);
    } finally {
      buf.release();
    }
    out.close();
    return OperationResult.ok();
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

  private static List<ObjectView> objects(OperationContext ctx, int handle, int format, int depth) throws IOException {
    if (depth != 0 && depth != 1 && depth != ALL) {
      throw new MtpOperationException(ResponseCode.SPECIFICATION_BY_DEPTH_UNSUPPORTED.value(), "depth " + depth);
    }
    List<ObjectNode> nodes = new ArrayList<>();
    if (handle == 0 || handle == ALL) {
      // Depth 1 lists the storage roots (libmtp asks for the root folder with 0xFFFFFFFF, as in
      // GetObjectHandles); otherwise 0xFFFFFFFF means every object, and 0 at depth 0 means none.
      if (depth == 1) nodes.addAll(ObjectSelection.select(ctx, 0, format, ALL));
      else if (handle == ALL || depth == ALL) nodes.addAll(ObjectSelection.select(ctx, 0, format, 0));
    } else {
      ObjectNode node = ctx.objects().get(handle);
      if (depth == 0) {
        ObjectActions.view(ctx, node); // fresh metadata for a single object
        if (ObjectSelection.matches(node, format)) nodes.add(node);
      } else if (node.isFolder()) {
        if (depth == 1) {
          for (ObjectNode n : ObjectSelection.children(ctx, node)) if (ObjectSelection.matches(n, format)) nodes.add(n);
        } else {
          ObjectSelection.descendants(ctx, node, format, nodes);
        }
      }
    }
    List<ObjectView> views = new ArrayList<>(nodes.size());
    for (ObjectNode n : nodes) views.add(ObjectActions.cachedView(ctx, n));
    return views;
  }

}
