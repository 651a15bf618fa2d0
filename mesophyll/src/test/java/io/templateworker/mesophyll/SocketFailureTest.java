package io.templateworker.mesophyll;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.mesophyll.protocol.MesophyllException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/** The reason a failed socket gives reaches users in event errors: it must say something, never "null". */
class SocketFailureTest {

  @Test
  void an_error_without_a_message_is_described_in_words() {
    String reason = MesophyllException.socketFailure(new ClosedChannelException());
    assertThat(reason).doesNotContain("null").doesNotContain("java.").contains("connection was cut");
  }

  @Test
  void the_first_message_along_the_cause_chain_is_used() {
    IOException error = new IOException(null, new IOException("Connection reset by peer"));
    assertThat(MesophyllException.socketFailure(error)).isEqualTo("socket error: Connection reset by peer");
  }

  @Test
  void no_error_at_all_is_described_too() {
    assertThat(MesophyllException.socketFailure(null)).contains("connection was cut");
  }
}
