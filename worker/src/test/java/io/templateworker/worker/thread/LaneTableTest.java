package io.templateworker.worker.thread;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.store.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LaneTableTest {
  final LaneTable table = new LaneTable();
  final AtomicInteger made = new AtomicInteger();

  TenantLane make(TenantId tenant) {
    made.incrementAndGet();
    return new TenantLane(tenant, null);
  }

  @Test
  void finds_each_tenant_by_id_and_type_through_growth() {
    List<TenantId> tenants = new ArrayList<>();
    for (long i = 1; i <= 3000; i++) {
      tenants.add(TenantId.guild(((1000 + i) << 22) | 1)); // snowflakes as the bench makes them
      tenants.add(TenantId.user(i)); // the same small ids as guilds below
      tenants.add(TenantId.guild(i));
    }
    for (TenantId t : tenants) {
      assertThat(table.get(t)).isNull();
      TenantLane lane = table.computeIfAbsent(t, this::make);
      assertThat(lane.tenant).isEqualTo(t);
      assertThat(table.computeIfAbsent(t, this::make)).isSameAs(lane);
    }
    for (TenantId t : tenants) {
      assertThat(table.get(new TenantId(t.type(), t.id())).tenant).as("an equal TenantId finds it").isEqualTo(t);
    }
    assertThat(made.get()).isEqualTo(tenants.size());
    assertThat(table.values()).hasSize(tenants.size());
    assertThat(table.get(TenantId.user(3001))).isNull();
  }

  @Test
  void racing_first_lookups_make_one_lane_per_tenant() throws Exception {
    int threads = 4;
    int perThread = 5000;
    CountDownLatch go = new CountDownLatch(1);
    Set<TenantLane> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger notFound = new AtomicInteger();
    List<Thread> started = new ArrayList<>();
    for (int n = 0; n < threads; n++) {
      started.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (long i = 0; i < perThread; i++) {
          TenantId t = TenantId.guild((i + 1) << 22);
          TenantLane lane = table.computeIfAbsent(t, this::make);
          if (table.get(t) != lane) {
            notFound.incrementAndGet();
          }
          seen.add(lane);
        }
      }));
    }
    go.countDown();
    for (Thread t : started) {
      t.join();
    }
    assertThat(notFound.get()).isZero();
    assertThat(made.get()).isEqualTo(perThread);
    assertThat(seen).hasSize(perThread);
    assertThat(table.values()).hasSize(perThread);
  }
}
