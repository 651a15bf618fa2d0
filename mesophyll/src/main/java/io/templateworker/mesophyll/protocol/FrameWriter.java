package io.templateworker.mesophyll.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The sending side of one Mesophyll connection; messages leave in call order and callers never wait for the socket.
 *
 * <p>While the connection is idle (nothing being written, and no other request in flight as its owner judges: see the
 * constructor), a caller starts the write of its message itself and returns (the transport completes it
 * asynchronously): an idle connection costs no hand-off to another thread, one of the thread wake-ups in series on an
 * event's path, each a wait for a core on a busy machine. Otherwise callers queue their messages, and one writer thread
 * per connection joins everything queued into one WebSocket frame ({@link MessageCodec#decodeAll} splits it): a busy
 * connection pays a frame, a socket write and a wake-up of the reader once per batch.
 *
 * <p>A {@link Message.Started} acknowledgement is queued as its request id only and left out when the reply to
 * that request ({@link Message.DispatchResponse}) leaves in the same frame: the reply says more, and a frame
 * arrives whole or not at all, so what the master learns when the connection dies is the same.
 */
public final class FrameWriter implements AutoCloseable {
  /** Largest batch the writer builds; a single larger message still goes alone. */
  public static final int MAX_BATCH_BYTES = 256 * 1024;
  private static final long NONE = Long.MIN_VALUE;

  /** Starts writing one frame; the future completes when the transport is done with its bytes, or fails with it. */
  @FunctionalInterface
  public interface Transport {
    CompletableFuture<?> write(ByteBuffer frame) throws Exception;
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
  /**
   * Held by whoever has a write on the wire (a caller writing inline, or the writer thread); the transport allows one
   * write at a time, and only the holder takes messages off the queue, so they leave in order.
   */
  private final AtomicBoolean writing = new AtomicBoolean();
  private volatile Throwable failure;
  /** The holder's buffer for batches of several messages, reused from batch to batch (the holder waits for a write). */
  private ByteBuffer batchBuffer = ByteBuffer.allocate(0);
  private final ArrayList<Entry> batch = new ArrayList<>();
  /** True while the other side has nothing outstanding from this connection's point of view (see the constructor). */
  private final BooleanSupplier peerIdle;
  private volatile boolean closed;

  /**
   * @param name names the writer thread, e.g. "mesophyll-writer-worker-3"
   * @param peerIdle whether a message may go inline: true while the connection carries nothing else (e.g. no other
   *     request in flight). While it is busy, messages wait for the writer thread, which joins them into one frame:
   *     writing whenever the socket was free sent a frame per message at the maximum rate, and the frames' reads and
   *     wake-ups on the other side cut that maximum 3–8×
   * @param onFailure told once when a write fails (the connection is broken; nothing more is written)
   */
  public FrameWriter(String name, Transport transport, BooleanSupplier peerIdle, Consumer<Throwable> onFailure) {
    this.transport = transport;
    this.peerIdle = peerIdle;
    this.onFailure = onFailure;
    this.writer = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    writer.start();
  }

  /** Encodes {@code message} now (so a message that cannot be encoded fails its caller) and writes or queues it. */
  public void send(Message message) {
    if (message instanceof Message.Started s) {
      sendStarted(s.reqId());
      return;
    }
    long answers = message instanceof Message.DispatchResponse r ? r.reqId() : NONE;
    enqueue(new Entry(MessageCodec.encodeToBuffer(message), NONE, answers));
  }

  /** As {@link #send} of {@code new Message.Started(reqId)}, without the message. */
  public void sendStarted(long reqId) {
    enqueue(new Entry(null, reqId, NONE));
  }

  /**
   * As {@link #send} of a DispatchResponse to request {@code reqId}, already encoded ({@link
   * MessageCodec#encodeDispatchResponseOk}): a Started of that request in the same frame is left out likewise.
   */
  public void sendReply(long reqId, ByteBuffer encoded) {
    enqueue(new Entry(encoded, NONE, reqId));
  }

  /**
   * Writes or queues bytes as they are: a message encoded already ({@link MessageCodec#encodeDispatchEvent}; not a
   * Started or a DispatchResponse, which {@link #send} must see), or in tests a malformed frame.
   */
  public void sendRaw(ByteBuffer frame) {
    enqueue(new Entry(frame, NONE, NONE));
  }

  private void enqueue(Entry entry) {
    if (closed) {
      throw new MesophyllException("the connection is closed");
    }
    queue.add(entry);
    if (peerIdle.getAsBoolean() && writing.compareAndSet(false, true)) {
      writeInline();
    } else if (!writing.get()) {
      LockSupport.unpark(writer); // a busy connection's messages go in batches (or the holder let go already)
    }
  }

  /** Writes what is queued (this caller's message, and any queued before it) as one frame without waiting for it. */
  private void writeInline() {
    if (queue.isEmpty()) { // the writer thread took this message along in its last batch
      inlineWriteDone(null);
      return;
    }
    CompletableFuture<?> done;
    try {
      done = transport.write(takeBatch());
    } catch (Exception e) {
      writing.set(false);
      fail(e);
      return;
    }
    // Usually done already (the socket took the bytes at once): then it is handled here and now, without the stage and
    // the lambda whenComplete costs per frame.
    if (done.isDone()) {
      inlineWriteDone(failureOf(done));
    } else {
      done.whenComplete(inlineDone);
    }
  }

  private final java.util.function.BiConsumer<Object, Throwable> inlineDone = (ignored, error) -> inlineWriteDone(error);

  /** A completed write's failure, or null. */
  private static Throwable failureOf(CompletableFuture<?> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return e;
    }
  }

  private void inlineWriteDone(Throwable error) {
    writing.set(false);
    if (error != null) {
      fail(error);
    } else if (!queue.isEmpty()) {
      LockSupport.unpark(writer); // what queued behind the inline write goes as one batch
    }
  }

  /** Stops writing; the writer thread reports the failure (not the caller, which may hold locks of its own). */
  private void fail(Throwable error) {
    if (closed) {
      return; // a write cut short by close()
    }
    failure = error instanceof ExecutionException || error instanceof CompletionException ? error.getCause() : error;
    closed = true;
    LockSupport.unpark(writer);
  }

  /** Stops the writer; what is still queued is dropped, like anything in flight on a closed socket. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
  }

  private void run() {
    while (!closed) {
      if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
        // Nothing to do, or a caller's inline write is on the wire: its completion wakes this thread.
        LockSupport.park(this);
        continue;
      }
      try {
        while (!closed && !queue.isEmpty()) {
          // Waits: the next batch reuses the buffer, and what queues meanwhile joins it.
          transport.write(takeBatch()).get();
        }
      } catch (Exception e) {
        fail(e);
      } finally {
        writing.set(false);
      }
    }
    Throwable failed = failure;
    if (failed != null) {
      onFailure.accept(failed);
    }
  }

  /** Takes the queue's head (at least one message, at most {@link #MAX_BATCH_BYTES}) as one frame; holder only. */
  private ByteBuffer takeBatch() {
    batch.clear();
    Entry first = queue.poll();
    batch.add(first);
    int bytes = first.size();
    Entry next;
    while ((next = queue.peek()) != null && bytes + next.size() <= MAX_BATCH_BYTES) {
      batch.add(queue.poll());
      bytes += next.size();
    }
    return frameOf(batch);
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
