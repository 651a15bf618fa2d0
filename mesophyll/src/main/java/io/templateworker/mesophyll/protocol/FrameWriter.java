package io.templateworker.mesophyll.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The sending side of one Mesophyll connection. Callers queue messages and return at once; one writer thread per
 * connection writes them, in call order, joining everything that queued while its previous write was on the wire
 * into one WebSocket frame ({@link MessageCodec#decodeAll} splits it). Callers that wrote inline found the socket
 * idle almost every time and sent one frame per message, paying a frame, a socket write and a wake-up of the
 * reader for each; a busy connection now pays them once per batch.
 *
 * <p>A {@link Message.Started} acknowledgement is queued as its request id only and left out when the reply to
 * that request ({@link Message.DispatchResponse}) leaves in the same frame: the reply says more, and a frame
 * arrives whole or not at all, so what the master learns when the connection dies is the same.
 */
public final class FrameWriter implements AutoCloseable {
  /** Largest batch the writer builds; a single larger message still goes alone. */
  public static final int MAX_BATCH_BYTES = 256 * 1024;
  private static final long NONE = Long.MIN_VALUE;

  /**
   * Writes one frame, returning once the transport is done with its bytes (the writer reuses the buffer of a batch for
   * the next one); throws when the connection failed.
   */
  @FunctionalInterface
  public interface Transport {
    void write(ByteBuffer frame) throws Exception;
  }

  /** One queued message: its bytes, or (bytes null) a Started acknowledgement of {@code started}. */
  private record Entry(ByteBuffer bytes, long started, long answers) {
    int size() {
      return bytes == null ? 16 : bytes.remaining();
    }
  }

  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final Transport transport;
  private final Consumer<Throwable> onFailure;
  private final Thread writer;
  /** The writer thread's buffer for batches of several messages, reused from batch to batch. */
  private ByteBuffer batchBuffer = ByteBuffer.allocate(0);
  private volatile boolean idle;
  private volatile boolean closed;

  /**
   * @param name names the writer thread, e.g. "mesophyll-writer-worker-3"
   * @param onFailure told once when a write fails (the connection is broken; the writer stops)
   */
  public FrameWriter(String name, Transport transport, Consumer<Throwable> onFailure) {
    this.transport = transport;
    this.onFailure = onFailure;
    this.writer = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    writer.start();
  }

  /** Encodes {@code message} now (so a message that cannot be encoded fails its caller) and queues it. */
  public void send(Message message) {
    if (message instanceof Message.Started s) {
      enqueue(new Entry(null, s.reqId(), NONE));
      return;
    }
    long answers = message instanceof Message.DispatchResponse r ? r.reqId() : NONE;
    enqueue(new Entry(MessageCodec.encodeToBuffer(message), NONE, answers));
  }

  /** Queues bytes as they are (tests send malformed frames this way). */
  public void sendRaw(ByteBuffer frame) {
    enqueue(new Entry(frame, NONE, NONE));
  }

  private void enqueue(Entry entry) {
    if (closed) {
      throw new MesophyllException("the connection is closed");
    }
    queue.add(entry);
    if (idle) {
      LockSupport.unpark(writer);
    }
  }

  /** Stops the writer; what is still queued is dropped, like anything in flight on a closed socket. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
  }

  private void run() {
    ArrayList<Entry> batch = new ArrayList<>();
    while (!closed) {
      Entry first = queue.poll();
      if (first == null) {
        idle = true;
        if (queue.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        idle = false;
        continue;
      }
      batch.clear();
      batch.add(first);
      int bytes = first.size();
      Entry next;
      while ((next = queue.peek()) != null && bytes + next.size() <= MAX_BATCH_BYTES) {
        batch.add(queue.poll());
        bytes += next.size();
      }
      try {
        transport.write(frameOf(batch));
      } catch (Exception e) {
        if (!closed) { // not a write cut short by close()
          closed = true;
          onFailure.accept(e);
        }
        return;
      }
    }
  }

  /** The batch as one frame, without the Started acknowledgements its own replies make redundant. */
  private ByteBuffer frameOf(ArrayList<Entry> batch) {
    if (batch.size() == 1) {
      Entry only = batch.get(0);
      return only.bytes != null ? only.bytes : MessageCodec.encodeToBuffer(new Message.Started(only.started));
    }
    long[] answered = new long[batch.size()];
    int answers = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).answers != NONE) {
        answered[answers++] = batch.get(i).answers;
      }
    }
    Arrays.sort(answered, 0, answers);
    ByteBuffer[] parts = new ByteBuffer[batch.size()];
    int total = 0;
    for (int i = 0; i < batch.size(); i++) {
      Entry e = batch.get(i);
      if (e.bytes != null) {
        parts[i] = e.bytes;
      } else if (Arrays.binarySearch(answered, 0, answers, e.started) < 0) {
        parts[i] = MessageCodec.encodeToBuffer(new Message.Started(e.started));
      } else {
        continue; // its reply is in this frame
      }
      total += parts[i].remaining();
    }
    if (batchBuffer.capacity() < total) {
      batchBuffer = ByteBuffer.allocate(Math.max(total, Math.min(2 * batchBuffer.capacity(), MAX_BATCH_BYTES)));
    }
    ByteBuffer frame = batchBuffer.clear();
    for (ByteBuffer part : parts) {
      if (part != null) {
        frame.put(part);
      }
    }
    return frame.flip();
  }
}
