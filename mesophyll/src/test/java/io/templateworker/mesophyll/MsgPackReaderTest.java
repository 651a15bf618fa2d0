package io.templateworker.mesophyll;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.mesophyll.protocol.MsgPackReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class MsgPackReaderTest {
  private static List<String> readAll(byte[] packed, int count) throws Exception {
    MsgPackReader in = new MsgPackReader(packed, 0, packed.length);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(in.readStringOrNil("s"));
    }
    assertThat(in.atEnd()).isTrue();
    return out;
  }

  private static byte[] pack(List<String> strings) throws Exception {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      for (String s : strings) {
        p.packString(s);
      }
      return p.toByteArray();
    }
  }

  @Test
  void a_short_string_read_again_is_the_same_instance_and_every_string_reads_back_whatever_the_cache_holds() throws Exception {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) { // several times the cache's slots: collisions and evictions
      strings.add(i % 3 == 0 ? "key" : i % 3 == 1 ? "é-" + i : "long string past the cached length #" + i);
    }
    strings.add("");
    strings.add("x".repeat(32));
    byte[] packed = pack(strings);

    List<String> first = readAll(packed, strings.size());
    List<String> second = readAll(packed, strings.size());

    assertThat(first).isEqualTo(strings);
    assertThat(second).isEqualTo(strings);
    assertThat(second.get(0)).isSameAs(first.get(0)); // "key" is read without a new String
    byte[] again = pack(List.of("x".repeat(32), "x".repeat(32)));
    List<String> twice = readAll(again, 2);
    assertThat(twice.get(1)).isSameAs(twice.get(0));
  }

  @Test
  void an_uncached_read_takes_no_cached_instance_and_leaves_the_cache_alone() throws Exception {
    byte[] packed = pack(List.of("1234567890123456789", "1234567890123456789", "1234567890123456789"));
    MsgPackReader in = new MsgPackReader(packed, 0, packed.length);
    String cached = in.readStringOrNil("id");
    String uncached = in.readUncachedStringOrNil("id");
    assertThat(uncached).isEqualTo(cached).isNotSameAs(cached);
    assertThat(in.readStringOrNil("id")).as("still cached").isSameAs(cached);
    byte[] nil = {(byte) 0xc0};
    assertThat(new MsgPackReader(nil, 0, 1).readUncachedStringOrNil("id")).isNull();
  }

  @Test
  void invalid_utf8_is_replaced_in_cached_strings_too() throws Exception {
    byte[] bad = {(byte) 0xa2, (byte) 0xff, 'a', (byte) 0xa2, (byte) 0xff, 'a'};
    List<String> read = readAll(bad, 2);
    assertThat(read).containsExactly("\uFFFDa", "\uFFFDa");
  }
}
