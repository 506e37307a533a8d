package io.mtpbridge.backup.client.wire;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte layout of the owner IPC protocol. Every frame is a 4-byte big-endian body length
 * (1..{@link #MAX_BODY}) followed by the body: one type byte, then the type's fields. Integers are
 * big-endian; a string is a 2-byte length (at most {@link #MAX_STRING} bytes) and strict UTF-8; a
 * flag is one byte, 0 or 1; data is a 4-byte length (at most {@link #MAX_DATA}) and the bytes.
 * The decoder rejects anything else (unknown type, bad flag, bad UTF-8, trailing bytes), because a
 * peer that sends one wrong byte cannot be trusted with the rest of the stream.
 */
public final class FrameCodec {
  public static final int VERSION = 1;
  public static final int MAX_STRING = 1024;
  public static final int MAX_DATA = 64 * 1024;
  public static final int MAX_VOLUMES = 64;
  public static final int MAX_BODY = 1 + 4 + 1 + 2 + MAX_STRING + 1 + 4 + MAX_DATA + 64;

  private FrameCodec() {}

  /** Reads one frame; returns null at a clean end of stream (between frames). */
  public static Frame read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int first = data.read();
    if (first < 0) return null;
    int length;
    try {
      length = (first << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8) | data.readUnsignedByte();
    } catch (EOFException e) {
      throw new FrameFormatException("stream ended inside a frame length");
    }
    if (length < 1 || length > MAX_BODY) throw new FrameFormatException("frame length " + Integer.toUnsignedString(length) + " outside 1.." + MAX_BODY);
    byte[] body = new byte[length];
    try {
      data.readFully(body);
    } catch (EOFException e) {
      throw new FrameFormatException("stream ended inside a frame of " + length + " bytes");
    }
    return decode(body);
  }

  /** Decodes one frame body (without its length prefix). */
  public static Frame decode(byte[] body) throws FrameFormatException {
    Reader r = new Reader(ByteBuffer.wrap(body));
    int type = r.u8();
    Frame frame;
    switch (type) {
      case Frame.TYPE_HELLO: frame = new Frame.Hello(r.u16(), r.string()); break;
      case Frame.TYPE_WELCOME: frame = new Frame.Welcome(); break;
      case Frame.TYPE_REFUSED: frame = new Frame.Refused(r.string()); break;
      case Frame.TYPE_MODE: {
        int mode = r.i32();
        boolean affects = r.flag();
        int count = r.u16();
        if (count > MAX_VOLUMES) throw new FrameFormatException(count + " volumes, at most " + MAX_VOLUMES);
        List<String> volumes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) volumes.add(r.string());
        frame = new Frame.Mode(mode, affects, volumes);
        break;
      }
      case Frame.TYPE_READY: frame = new Frame.Ready(r.i32()); break;
      case Frame.TYPE_CALL: frame = new Frame.Call(r.i32(), r.u8(), r.string(), r.flag(), r.data()); break;
      case Frame.TYPE_RESULT: frame = new Frame.Result(r.i32(), r.flag(), r.i64(), r.data()); break;
      case Frame.TYPE_FAILED: frame = new Frame.Failed(r.i32(), r.string()); break;
      case Frame.TYPE_TERMINATE: frame = new Frame.Terminate(); break;
      default: throw new FrameFormatException("unknown frame type " + type);
    }
    if (r.buf.hasRemaining()) throw new FrameFormatException(r.buf.remaining() + " trailing bytes after a frame of type " + type);
    return frame;
  }

  /** Encodes {@code frame} with its length prefix. */
  public static byte[] encode(Frame frame) {
    Writer w = new Writer();
    w.u8(frame.type());
    if (frame instanceof Frame.Hello h) {
      w.u16(h.version());
      w.string(h.ownerId());
    } else if (frame instanceof Frame.Refused f) {
      w.string(f.reason());
    } else if (frame instanceof Frame.Mode m) {
      w.i32(m.mode());
      w.flag(m.affectsMe());
      if (m.volumes().size() > MAX_VOLUMES) throw new IllegalArgumentException("too many volumes");
      w.u16(m.volumes().size());
      for (String v : m.volumes()) w.string(v);
    } else if (frame instanceof Frame.Ready r) {
      w.i32(r.error());
    } else if (frame instanceof Frame.Call c) {
      w.i32(c.callId());
      w.u8(c.callback());
      w.string(c.volume());
      w.flag(c.flag());
      w.data(c.data());
    } else if (frame instanceof Frame.Result r) {
      w.i32(r.callId());
      w.flag(r.finished());
      w.i64(r.value());
      w.data(r.data());
    } else if (frame instanceof Frame.Failed f) {
      w.i32(f.callId());
      w.string(f.message());
    }
    return w.finish();
  }

  public static void write(OutputStream out, Frame frame) throws IOException {
    out.write(encode(frame));
    out.flush();
  }

  private static final class Reader {
    final ByteBuffer buf;

    Reader(ByteBuffer buf) { this.buf = buf; }

    private void need(int n) throws FrameFormatException {
      if (buf.remaining() < n) throw new FrameFormatException("frame ends early: need " + n + " bytes at offset " + buf.position());
    }

    int u8() throws FrameFormatException { need(1); return buf.get() & 0xFF; }
    int u16() throws FrameFormatException { need(2); return buf.getShort() & 0xFFFF; }
    int i32() throws FrameFormatException { need(4); return buf.getInt(); }
    long i64() throws FrameFormatException { need(8); return buf.getLong(); }

    boolean flag() throws FrameFormatException {
      int b = u8();
      if (b > 1) throw new FrameFormatException("flag byte " + b + " is neither 0 nor 1");
      return b == 1;
    }

    String string() throws FrameFormatException {
      int len = u16();
      if (len > MAX_STRING) throw new FrameFormatException("string of " + len + " bytes, at most " + MAX_STRING);
      need(len);
      ByteBuffer slice = buf.slice();
      slice.limit(len);
      buf.position(buf.position() + len);
      try {
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(slice);
        return chars.toString();
      } catch (CharacterCodingException e) {
        throw new FrameFormatException("string is not valid UTF-8");
      }
    }

    byte[] data() throws FrameFormatException {
      int len = i32();
      if (len < 0 || len > MAX_DATA) throw new FrameFormatException("data of " + Integer.toUnsignedString(len) + " bytes, at most " + MAX_DATA);
      need(len);
      byte[] out = new byte[len];
      buf.get(out);
      return out;
    }
  }

  private static final class Writer {
    private ByteBuffer buf = ByteBuffer.allocate(256);

    private void ensure(int n) {
      if (buf.remaining() >= n) return;
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }

    void u8(int v) { ensure(1); buf.put((byte) v); }
    void u16(int v) { ensure(2); buf.putShort((short) v); }
    void i32(int v) { ensure(4); buf.putInt(v); }
    void i64(long v) { ensure(8); buf.putLong(v); }
    void flag(boolean v) { u8(v ? 1 : 0); }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > MAX_STRING) throw new IllegalArgumentException("string longer than " + MAX_STRING + " bytes");
      u16(b.length);
      ensure(b.length);
      buf.put(b);
    }

    void data(byte[] b) {
      if (b.length > MAX_DATA) throw new IllegalArgumentException("data longer than " + MAX_DATA + " bytes");
      i32(b.length);
      ensure(b.length);
      buf.put(b);
    }

    byte[] finish() {
      int len = buf.position();
      byte[] out = new byte[4 + len];
      ByteBuffer.wrap(out).putInt(len).put(buf.array(), 0, len);
      return out;
    }
  }
}
