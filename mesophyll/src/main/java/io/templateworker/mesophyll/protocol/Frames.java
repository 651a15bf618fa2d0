package io.templateworker.mesophyll.protocol;

import java.nio.ByteBuffer;

/**
 * Batching of encoded messages: a WebSocket frame carries one or more messages back to back (MessagePack
 * values delimit themselves; {@link MessageCodec#decodeAll} splits them), so a sender with a backlog pays the
 * per-frame cost once for many messages.
 */
public final class Frames {
  /** Largest batch a sender builds; a single larger message still goes alone. */
  public static final int MAX_BATCH_BYTES = 256 * 1024;

  private Frames() {}

  /** Joins {@code first} with the frames already waiting (up to 256 KiB): one WebSocket message, many protocol messages. */
  public static ByteBuffer batch(ByteBuffer first, java.util.Queue<ByteBuffer> waiting) {
    ByteBuffer peek = waiting.peek();
    if (peek == null) {
      return first;
    }
    int limit = MAX_BATCH_BYTES;
    int total = first.remaining();
    java.util.ArrayList<ByteBuffer> parts = new java.util.ArrayList<>();
    parts.add(first);
    while (peek != null && total + peek.remaining() <= limit) {
      parts.add(waiting.poll());
      total += peek.remaining();
      peek = waiting.peek();
    }
    if (parts.size() == 1) {
      return first;
    }
    ByteBuffer joined = ByteBuffer.allocate(total);
    for (int i = 0; i < parts.size(); i++) {
      joined.put(parts.get(i));
    }
    return joined.flip();
  }

}
