package io.templateworker.worker.thread;

import io.templateworker.runtime.store.TenantId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A worker's lanes by tenant: an open-addressed table of the lanes themselves, each compared by the tenant id and type
 * it keeps in primitive fields. A lookup reads the table's slot and the lane it was looking for; a ConcurrentHashMap
 * also read its node and the node's TenantId, and with 10 000 tenants every one of those is a cache miss per event.
 * Lanes are only ever added (a worker keeps a tenant's lane for its life). Lookups take no lock; adds take this table's
 * lock and publish each slot with a release store, and a grown table as a whole.
 */
final class LaneTable {
  private static final int INITIAL = 64;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TenantLane[].class);

  private volatile TenantLane[] table = new TenantLane[INITIAL];
  /** Guarded by {@code this}. */
  private int size;

  /** The tenant's lane, or null when it has none yet. Any thread. */
  TenantLane get(TenantId tenant) {
    return find(table, tenant.id(), tenant.type());
  }

  /** The tenant's lane, made by {@code make} if it has none yet (exactly once per tenant). Any thread. */
  TenantLane computeIfAbsent(TenantId tenant, Function<TenantId, TenantLane> make) {
    TenantLane lane = get(tenant);
    if (lane != null) {
      return lane;
    }
    synchronized (this) {
      lane = get(tenant); // the current table: adds happen only under this lock
      if (lane == null) {
        lane = make.apply(tenant);
        // At most a quarter full: each probe past the wanted slot reads another lane (a miss), so probes stay short.
        if ((size + 1) * 4 > table.length) {
          table = grown(table);
        }
        insert(table, lane);
        size++;
      }
      return lane;
    }
  }

  /** The lanes at the time of the call (a lane added meanwhile may be left out). Any thread. */
  List<TenantLane> values() {
    TenantLane[] t = table;
    List<TenantLane> out = new ArrayList<>();
    for (int i = 0; i < t.length; i++) {
      TenantLane lane = (TenantLane) SLOT.getAcquire(t, i);
      if (lane != null) {
        out.add(lane);
      }
    }
    return out;
  }

  private static TenantLane find(TenantLane[] t, long id, TenantId.Type type) {
    int mask = t.length - 1;
    for (int i = index(id, mask); ; i = (i + 1) & mask) {
      TenantLane lane = (TenantLane) SLOT.getAcquire(t, i);
      if (lane == null || lane.tenantId == id && lane.tenantType == type) {
        return lane;
      }
    }
  }

  private static void insert(TenantLane[] t, TenantLane lane) {
    int mask = t.length - 1;
    int i = index(lane.tenantId, mask);
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    SLOT.setRelease(t, i, lane); // a reader that sees the slot sees the lane's final fields
  }

  private static TenantLane[] grown(TenantLane[] old) {
    TenantLane[] t = new TenantLane[old.length * 2];
    for (TenantLane lane : old) {
      if (lane != null) {
        insert(t, lane);
      }
    }
    return t;
  }

  /** Snowflakes' low bits are a counter and their high bits a timestamp: both are mixed in (a 64-bit multiply). */
  private static int index(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
