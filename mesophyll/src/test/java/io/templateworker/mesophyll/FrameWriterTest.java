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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A transport whose first write waits for {@code release}: whatever is sent meanwhile queues behind it. */
  private static final class HeldTransport implements FrameWriter.Transport {
    final LinkedBlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
    final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(ByteBuffer frame) throws Exception {
      firstWriteStarted.countDown();
      release.await();
      frames.add(ByteBuffer.allocate(frame.remaining()).put(frame).flip()); // the writer reuses its buffer
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
    FrameWriter writer = new FrameWriter("test-writer", transport, error -> {});
    try {
      writer.send(new Message.Heartbeat());
      assertThat(transport.firstWriteStarted.await(30, TimeUnit.SECONDS)).isTrue();
      writer.send(new Message.Started(1));
      writer.send(new Message.Started(2));
      writer.send(Message.DispatchResponse.ok(2, JSON.textNode("two")));
      writer.send(new Message.Heartbeat());
      transport.release.countDown();

      assertThat(transport.nextFrame()).containsExactly(new Message.Heartbeat());
      // Request 2 was answered in the same frame, so its Started says nothing more; request 1 still runs.
      assertThat(transport.nextFrame()).containsExactly(new Message.Started(1),
          Message.DispatchResponse.ok(2, JSON.textNode("two")), new Message.Heartbeat());
    } finally {
      writer.close();
    }
  }

  @Test
  void a_failed_write_is_reported_once_and_later_sends_are_refused() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch reported = new CountDownLatch(1);
    FrameWriter writer = new FrameWriter("test-writer", frame -> {
      throw new IOException("socket gone");
    }, error -> {
      failure.set(error);
      reported.countDown();
    });

    writer.send(new Message.Heartbeat());

    assertThat(reported.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).hasMessage("socket gone");
    assertThatThrownBy(() -> writer.send(new Message.Heartbeat())).isInstanceOf(MesophyllException.class);
  }
}
