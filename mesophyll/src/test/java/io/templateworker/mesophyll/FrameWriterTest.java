package io.templateworker.mesophyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.templateworker.mesophyll.protocol.FrameWriter;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.MesophyllException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * A transport whose first write stays on the wire until {@link #release}: whatever is sent meanwhile queues behind
   * it. Records each frame and the thread that started writing it.
   */
  private static final class HeldTransport implements FrameWriter.Transport {
    final LinkedBlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Thread> writers = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> firstWrite = new CompletableFuture<>();
    private boolean first = true;

    @Override
    public synchronized CompletableFuture<?> write(ByteBuffer frame) {
      frames.add(ByteBuffer.allocate(frame.remaining()).put(frame).flip()); // the writer reuses its buffer
      writers.add(Thread.currentThread());
      if (first) {
        first = false;
        return firstWrite;
      }
      return CompletableFuture.completedFuture(null);
    }

    void release() {
      firstWrite.complete(null);
    }

    List<Message> nextFrame() throws Exception {
      ByteBuffer frame = frames.poll(30, TimeUnit.SECONDS);
      assertThat(frame).as("a frame was written").isNotNull();
      List<Message> messages = new ArrayList<>();
      MessageCodec.decodeAll(frame, messages::add);
      return messages;
    }
  }

  @Test
  void messages_queued_during_a_write_leave_together_in_order_without_acks_their_own_replies_cover() throws Exception {
    HeldTransport transport = new HeldTransport();
    FrameWriter writer = new FrameWriter("test-writer", transport, () -> true, error -> {});
    try {
      writer.send(new Message.Heartbeat());
      writer.send(new Message.Started(1));
      writer.send(new Message.Started(2));
      writer.send(Message.DispatchResponse.ok(2, JSON.textNode("two")));
      writer.send(new Message.Heartbeat());
      assertThat(transport.nextFrame()).containsExactly(new Message.Heartbeat());
      transport.release();

      // Request 2 was answered in the same frame, so its Started says nothing more; request 1 still runs.
      assertThat(transport.nextFrame()).containsExactly(new Message.Started(1),
          Message.DispatchResponse.ok(2, JSON.textNode("two")), new Message.Heartbeat());
    } finally {
      writer.close();
    }
  }

  @Test
  void a_reply_sent_as_its_bytes_and_a_started_sent_as_its_id_leave_as_the_messages_would() throws Exception {
    HeldTransport transport = new HeldTransport();
    FrameWriter writer = new FrameWriter("test-writer", transport, () -> true, error -> {});
    try {
      writer.send(new Message.Heartbeat());
      writer.sendStarted(1);
      writer.sendStarted(2);
      ByteBuffer two = MessageCodec.encodeDispatchResponseOk(2, out -> {
        out.writeStringOrNil("two");
        return true;
      });
      assertThat(MessageCodec.encodeDispatchResponseOk(3, out -> false)).as("a value that cannot write itself").isNull();
      writer.sendReply(2, two);
      assertThat(transport.nextFrame()).containsExactly(new Message.Heartbeat());
      transport.release();

      // The same frame as the messages make (the test above): request 2's Started is left out.
      assertThat(transport.nextFrame()).containsExactly(new Message.Started(1),
          Message.DispatchResponse.ok(2, JSON.textNode("two")));
      assertThat(MessageCodec.encodeDispatchResponseOk(2, out -> {
        out.writeStringOrNil("two");
        return true;
      })).isEqualTo(ByteBuffer.wrap(MessageCodec.encode(Message.DispatchResponse.ok(2, JSON.textNode("two")))));
    } finally {
      writer.close();
    }
  }

  @Test
  void on_an_idle_connection_the_caller_writes_its_message_itself_with_no_hand_off() throws Exception {
    HeldTransport transport = new HeldTransport();
    FrameWriter writer = new FrameWriter("idle-test-writer", transport, () -> true, error -> {});
    try {
      // A writer thread still starting could find the message queued before the caller claims the write (under load
      // it did): wait until it is parked, as it is on a connection that has been idle for a while.
      org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> Thread.getAllStackTraces().keySet()
          .stream().anyMatch(t -> t.getName().equals("idle-test-writer") && t.getState() == Thread.State.WAITING));
      writer.send(new Message.Started(1));

      assertThat(transport.nextFrame()).containsExactly(new Message.Started(1));
      assertThat(transport.writers.poll()).isSameAs(Thread.currentThread());
    } finally {
      writer.close();
    }
  }

  @Test
  void while_the_peer_is_busy_the_writer_thread_writes_so_that_messages_can_join_into_one_frame() throws Exception {
    HeldTransport transport = new HeldTransport();
    FrameWriter writer = new FrameWriter("test-writer", transport, () -> false, error -> {});
    try {
      writer.send(new Message.Started(1));

      assertThat(transport.nextFrame()).containsExactly(new Message.Started(1));
      assertThat(transport.writers.poll()).isNotSameAs(Thread.currentThread());
    } finally {
      writer.close();
    }
  }

  @Test
  void messages_of_one_caller_leave_in_call_order_whichever_thread_writes_them() throws Exception {
    // Writes finish later, on another thread, about every third time: the caller then finds a write on the wire and
    // queues, and the writer thread takes over until the queue is empty again.
    LinkedBlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
    java.util.concurrent.ExecutorService completer = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    FrameWriter writer = new FrameWriter("test-writer", frame -> {
      frames.add(ByteBuffer.allocate(frame.remaining()).put(frame).flip());
      return writes.incrementAndGet() % 3 == 0
          ? CompletableFuture.runAsync(Thread::yield, completer) : CompletableFuture.completedFuture(null);
    }, () -> true, error -> {});
    int count = 20_000;
    try {
      for (int i = 1; i <= count; i++) {
        writer.send(new Message.Started(i));
      }
      List<Long> received = new ArrayList<>();
      while (received.size() < count) {
        ByteBuffer frame = frames.poll(30, TimeUnit.SECONDS);
        assertThat(frame).as("frame after %d messages", received.size()).isNotNull();
        MessageCodec.decodeAll(frame, m -> received.add(((Message.Started) m).reqId()));
      }
      for (int i = 0; i < count; i++) {
        assertThat(received.get(i)).as("message %d", i).isEqualTo(i + 1L);
      }
    } finally {
      writer.close();
      completer.shutdownNow();
    }
  }

  @Test
  void a_failed_write_is_reported_once_and_later_sends_are_refused() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch reported = new CountDownLatch(1);
    FrameWriter writer = new FrameWriter("test-writer", frame -> CompletableFuture.failedFuture(new IOException("socket gone")), () -> true,
        error -> {
      failure.set(error);
      reported.countDown();
    });

    writer.send(new Message.Heartbeat());

    assertThat(reported.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).isInstanceOf(IOException.class).hasMessage("socket gone");
    assertThatThrownBy(() -> writer.send(new Message.Heartbeat())).isInstanceOf(MesophyllException.class);
  }
}
