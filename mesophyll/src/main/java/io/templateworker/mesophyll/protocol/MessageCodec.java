package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * Encodes and decodes {@link Message}s as MessagePack. Thread-safe; one shared instance suffices.
 * Decoding never throws anything but {@link MalformedFrameException}, so a bad frame can be
 * handled as one case by the connection that received it.
 */
public final class MessageCodec {
  /** Frames above this size are refused before decoding (a DB reply of many KV rows fits well). */
  public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  static final ObjectMapper MAPPER = new ObjectMapper(new MessagePackFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
  private static final ObjectWriter WRITER = MAPPER.writerFor(Message.class);
  private static final ObjectReader READER = MAPPER.readerFor(Message.class);

  private static volatile ValueReader replyValues = parser -> MAPPER.readTree(parser);
  private static volatile ValueReader eventData = parser -> MAPPER.readTree(parser);

  private MessageCodec() {}

  /**
   * Reads every {@link Message.DispatchResponse} value decoded from now on with {@code reader} (for the whole JVM:
   * the process pool's master installs its template-value reader once).
   */
  public static void readReplyValuesWith(ValueReader reader) {
    replyValues = reader;
  }

  static ValueReader replyValues() {
    return replyValues;
  }

  /**
   * Reads the data of every {@link Message.DispatchEvent} decoded from now on with {@code reader} (for the whole JVM:
   * a process-pool child installs its template-value reader once).
   */
  public static void readEventDataWith(ValueReader reader) {
    eventData = reader;
  }

  static ValueReader eventData() {
    return eventData;
  }

  /**
   * Builds the (de)serialisers for every message kind now. In a cold JVM the first use takes hundreds of
   * milliseconds, long enough to miss a first heartbeat; a client calls this before it connects.
   */
  public static void warmUp() {
    Message[] samples = {new Message.Hello(ProtocolVersion.CURRENT, 1), new Message.Heartbeat(),
        Message.DispatchResponse.ok(1, null), new Message.DropWorker(WireTenant.guild(1), 1),
        new Message.DispatchEvent(WireTenant.guild(1), new WireEvent("Warm", null, null), 1L),
        new Message.DbRequest(1, DbOps.KV, null, null), Message.DbResponse.ok(1, null), new Message.Started(1)};
    for (Message m : samples) {
      try {
        decode(encode(m));
      } catch (MalformedFrameException e) {
        throw new IllegalStateException("codec cannot read its own " + m.getClass().getSimpleName(), e);
      }
    }
  }

  public static byte[] encode(Message message) {
    try {
      return switch (message) {
        case Message.DispatchEvent e -> PerEventCodec.encode(e);
        case Message.DispatchResponse r -> PerEventCodec.encode(r);
        case Message.Started st -> PerEventCodec.encode(st);
        default -> WRITER.writeValueAsBytes(message);
      };
    } catch (IOException e) {
      // Only a bug in a record (e.g. an unserialisable JsonNode subclass) gets here.
      throw new IllegalStateException("cannot encode Mesophyll message " + message.getClass().getSimpleName(), e);
    }
  }

  /** As {@link #encode}, the per-event messages without copying them out of their encoder's buffer. */
  public static ByteBuffer encodeToBuffer(Message message) {
    try {
      return switch (message) {
        case Message.DispatchEvent e -> PerEventCodec.write(e).toBuffer();
        case Message.DispatchResponse r -> PerEventCodec.write(r).toBuffer();
        case Message.Started st -> PerEventCodec.write(st).toBuffer();
        default -> ByteBuffer.wrap(WRITER.writeValueAsBytes(message));
      };
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode Mesophyll message " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * A DispatchEvent's bytes written from its parts, without the message, tenant and event records (the process pool's
   * master sends one per event): the same bytes as {@link #encodeToBuffer} of {@code new Message.DispatchEvent(new
   * WireTenant(tenantType, Long.toUnsignedString(tenantId)), new WireEvent(name, author, data, scopes), reqId)} where
   * {@code data} is the tree that writes itself as {@code data} does here. Null when {@code data} cannot write itself
   * ({@link MessagePackWritable#writeMessagePack} false): encode the message then.
   */
  public static ByteBuffer encodeDispatchEvent(String tenantType, long tenantId, String name, String author,
      MessagePackWritable data, java.util.List<String> scopes, long reqId) {
    MsgPackWriter out = PerEventCodec.write(tenantType, tenantId, name, author, data, scopes, reqId);
    return out == null ? null : out.toBuffer();
  }

  /**
   * The bytes of {@code DispatchResponse.ok(reqId, value)}, where {@code value} stands for the tree that writes itself as
   * {@code value} does here, written without the message (a process-pool child replies once per event); null when
   * {@code value} cannot write itself ({@link MessagePackWritable#writeMessagePack} false): encode the message then. Send
   * them with {@link FrameWriter#sendReply}.
   */
  public static ByteBuffer encodeDispatchResponseOk(long reqId, MessagePackWritable value) {
    MsgPackWriter out = PerEventCodec.writeOk(reqId, value);
    return out == null ? null : out.toBuffer();
  }

  public static Message decode(byte[] frame) throws MalformedFrameException {
    return decode(frame, 0, frame.length);
  }

  public static Message decode(ByteBuffer frame) throws MalformedFrameException {
    if (frame.hasArray()) {
      return decode(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }
    byte[] copy = new byte[frame.remaining()];
    frame.duplicate().get(copy);
    return decode(copy, 0, copy.length);
  }

  /**
   * Decodes every message of a frame. A frame carries one or more messages back to back (MessagePack values
   * delimit themselves), so a busy sender can batch; {@code sink} receives them in order, and only once the
   * whole frame decoded: a malformed frame delivers nothing. Exceptions thrown by {@code sink} propagate.
   */
  public static void decodeAll(ByteBuffer frame, java.util.function.Consumer<Message> sink) throws MalformedFrameException {
    byte[] bytes;
    int offset;
    int length = frame.remaining();
    if (frame.hasArray()) {
      bytes = frame.array();
      offset = frame.arrayOffset() + frame.position();
    } else { // Jetty hands over direct buffers: the frame is read from a copy
      bytes = copyBuffer(length);
      frame.get(frame.position(), bytes, 0, length);
      offset = 0;
    }
    if (length == 0) {
      throw new MalformedFrameException("empty frame");
    }
    if (length > MAX_FRAME_BYTES) {
      throw new MalformedFrameException("frame of " + length + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
    }
    // The first two messages in fields: at moderate rates most frames carry one or two, and a list for them (its
    // array of ten) cost more than the messages.
    Message single = null;
    Message second = null;
    java.util.ArrayList<Message> more = null;
    // Each message is one MessagePack value: skipping it finds where the next starts (msgpack-core's unpacker did this
    // at the cost of an unpacker and its buffers per frame).
    try {
      MsgPackReader values = new MsgPackReader(bytes, offset, length);
      while (!values.atEnd()) {
        int start = values.position();
        values.skipValue();
        int end = values.position();
        // The same reader reads the message, over its range alone, then goes on after it.
        int frameEnd = values.range(start, end);
        Message m = decode(values, bytes, start, end - start);
        values.range(end, frameEnd);
        if (single == null) {
          single = m;
        } else if (second == null) {
          second = m;
        } else {
          if (more == null) {
            more = new java.util.ArrayList<>();
          }
          more.add(m);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new MalformedFrameException(firstLine(e.getMessage()));
    }
    if (single == null) {
      throw new MalformedFrameException("frame holds no message");
    }
    sink.accept(single);
    if (second != null) {
      sink.accept(second);
    }
    if (more != null) {
      for (int i = 0; i < more.size(); i++) {
        sink.accept(more.get(i));
      }
    }
  }

  /** Frames up to this size are copied into a buffer each platform thread keeps (see {@link #copyBuffer}). */
  private static final int KEPT_COPY_BYTES = 64 * 1024;
  private static final ThreadLocal<byte[][]> COPY = ThreadLocal.withInitial(() -> new byte[1][]);

  /**
   * An array for a frame's copy of {@code length} bytes: a fresh one costs as much as the frame per frame, so a platform
   * thread (a selector reading frames) reuses one. Nothing decoded keeps a reference to the frame's bytes (strings and
   * values are copied out), and the sink of {@link #decodeAll} is called only once the frame is decoded.
   */
  private static byte[] copyBuffer(int length) {
    if (length > KEPT_COPY_BYTES || Thread.currentThread().isVirtual()) {
      return new byte[length];
    }
    byte[][] kept = COPY.get();
    if (kept[0] == null || kept[0].length < length) {
      kept[0] = new byte[Math.max(length, Math.min(KEPT_COPY_BYTES, kept[0] == null ? 4096 : 2 * kept[0].length))];
    }
    return kept[0];
  }

  public static Message decode(byte[] frame, int offset, int length) throws MalformedFrameException {
    return decode(new MsgPackReader(frame, offset, length), frame, offset, length);
  }

  /** As {@link #decode(byte[], int, int)}, with {@code in} reading exactly that range (it is left anywhere in it). */
  private static Message decode(MsgPackReader in, byte[] frame, int offset, int length) throws MalformedFrameException {
    if (length == 0) {
      throw new MalformedFrameException("empty frame");
    }
    if (length > MAX_FRAME_BYTES) {
      throw new MalformedFrameException("frame of " + length + " bytes exceeds the limit of " + MAX_FRAME_BYTES);
    }
    try {
      Message fast = PerEventCodec.decode(in, frame);
      if (fast != null) {
        return fast;
      }
      Message message = READER.readValue(frame, offset, length);
      if (message == null) {
        throw new MalformedFrameException("frame decodes to nil, not a message");
      }
      return message;
    } catch (IOException | RuntimeException e) {
      // msgpack-core reports some bad bytes with its own runtime exceptions: all mean a bad frame.
      throw new MalformedFrameException(firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "undecodable frame";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
