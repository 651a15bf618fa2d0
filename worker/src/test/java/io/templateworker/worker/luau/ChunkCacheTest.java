package io.templateworker.worker.luau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.vm.Chunk;
import org.junit.jupiter.api.Test;

class ChunkCacheTest {
  final ChunkCache cache = new ChunkCache(1 << 20);

  @Test
  void same_name_and_source_share_one_chunk() {
    Chunk first = cache.compile("/init.luau", "return 1");
    Chunk second = cache.compile("/init.luau", "return 1");

    assertThat(second).isSameAs(first);
    assertThat(cache.compilations()).isEqualTo(1);
  }

  @Test
  void a_different_source_or_name_compiles_its_own_chunk() {
    Chunk a = cache.compile("/init.luau", "return 1");
    Chunk b = cache.compile("/init.luau", "return 2");
    Chunk c = cache.compile("/other.luau", "return 1");

    assertThat(b).isNotSameAs(a);
    assertThat(c).isNotSameAs(a);
    assertThat(c.chunkName()).isEqualTo("/other.luau"); // the name shows in tracebacks, so it is part of the key
    assertThat(cache.compilations()).isEqualTo(3);
  }

  @Test
  void a_syntax_error_is_thrown_every_time_and_not_cached() {
    assertThatThrownBy(() -> cache.compile("/init.luau", "return (")).isInstanceOf(CompileError.class);
    assertThatThrownBy(() -> cache.compile("/init.luau", "return (")).isInstanceOf(CompileError.class);

    assertThat(cache.size()).isZero();
  }

  @Test
  void the_bound_drops_chunks_beyond_the_source_budget() {
    ChunkCache small = new ChunkCache(4_096);
    for (int i = 0; i < 200; i++) {
      small.compile("/init.luau", "return " + i + " -- " + "x".repeat(100));
    }

    // Each entry weighs its source (~110 bytes) plus 64: at most 4096 / 174 of them fit.
    assertThat(small.size()).isBetween(1L, 4_096L / 174);
    assertThat(small.compilations()).isEqualTo(200);
  }
}
