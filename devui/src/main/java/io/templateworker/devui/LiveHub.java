package io.templateworker.devui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.api.json.PlainJson;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.ErrorReporter;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live panel's source: an {@link ErrorReporter} placed in front of the service's own (the tenant log book) that
 * also hands each tenant's dispatched events with their results, its {@code print} lines and its errors with
 * tracebacks to the panels watching that tenant. With nobody watching a tenant it costs one map lookup; a watcher
 * gets its entries on its own virtual thread, so a slow browser never holds up the dispatch path (past
 * {@value #QUEUE} waiting entries the oldest are dropped and the watcher is told how many).
 */
public final class LiveHub implements ErrorReporter {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
  static final ObjectMapper JSON = new ObjectMapper();
  /** Entries a watcher may have waiting before the oldest are dropped. */
  static final int QUEUE = 1000;
  /** Longest text of a message or value shown, so one huge result does not flood the browser. */
  static final int MAX_TEXT = 4000;

  private final ErrorReporter delegate;
  private final Map<TenantId, Set<Watcher>> watchers = new ConcurrentHashMap<>();

  /** @param delegate the service's reporter (prints and errors still go there first) */
  public LiveHub(ErrorReporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public void report(TenantId tenant, String template, String event, String error) {
    delegate.report(tenant, template, event, error);
    publish(tenant, () -> entry("error", template, event, error, null));
  }

  @Override
  public void report(TenantId tenant, String template, String event, String message, String traceback) {
    delegate.report(tenant, template, event, message, traceback);
    publish(tenant, () -> entry("error", template, event, message, traceback));
  }

  @Override
  public void print(TenantId tenant, String template, String text) {
    delegate.print(tenant, template, text);
    publish(tenant, () -> entry("print", template, null, text, null));
  }

  @Override
  public void dispatched(TenantId tenant, CreateEvent event, KhronosValue results) {
    delegate.dispatched(tenant, event, results);
    publish(tenant, () -> {
      ObjectNode o = entry("event", null, event.name(), summary(event), null);
      ArrayNode out = o.putArray("results");
      if (results instanceof KhronosValue.ListValue list) {
        for (KhronosValue item : list.items()) {
          JsonNode plain = PlainJson.toJson(item);
          if (plain instanceof ObjectNode r && r.has("value")) {
            String text = r.get("value").toString();
            if (text.length() > MAX_TEXT) {
              r.put("value", text.substring(0, MAX_TEXT) + "…");
            }
          }
          out.add(plain);
        }
      }
      return o;
    });
  }

  /**
   * Starts sending {@code tenant}'s entries to {@code send} (JSON text, one entry per call, from a virtual thread of
   * its own). Close the returned handle to stop.
   */
  public AutoCloseable watch(TenantId tenant, Consumer<String> send) {
    Watcher w = new Watcher(tenant, send);
    watchers.compute(tenant, (t, set) -> {
      Set<Watcher> s = set == null ? ConcurrentHashMap.newKeySet() : set;
      s.add(w);
      return s;
    });
    w.thread = Thread.ofVirtual().name("devui-live-" + tenant.idString()).start(w::run);
    return w;
  }

  /** How many panels watch {@code tenant} now. */
  public int watching(TenantId tenant) {
    Set<Watcher> set = watchers.get(tenant);
    return set == null ? 0 : set.size();
  }

  private void publish(TenantId tenant, java.util.function.Supplier<ObjectNode> entry) {
    Set<Watcher> set = watchers.get(tenant);
    if (set == null || set.isEmpty()) {
      return;
    }
    String text;
    try {
      text = JSON.writeValueAsString(entry.get());
    } catch (IOException | RuntimeException e) {
      LOG.debug("tenant={}: live entry not shown: {}", tenant, e.toString());
      return;
    }
    for (Watcher w : set) {
      w.offer(text);
    }
  }

  private static ObjectNode entry(String kind, String template, String event, String message, String traceback) {
    ObjectNode o = JSON.createObjectNode();
    o.put("at", Instant.now().toString());
    o.put("kind", kind);
    o.put("template", template);
    o.put("event", event);
    o.put("message", clip(message));
    o.put("traceback", clip(traceback));
    return o;
  }

  /** A line saying what the event was about: for a message its author and text. */
  static String summary(CreateEvent event) {
    if (event.json() == null) {
      return null;
    }
    try {
      JsonNode data = JSON.readTree(event.json().bytes());
      if (data != null && data.hasNonNull("content")) {
        String author = data.path("author").path("username").asText("?");
        return clip(author + ": " + data.get("content").asText());
      }
      if (data != null && data.path("data").hasNonNull("name")) {
        return "/" + data.path("data").get("name").asText();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }

  /** One panel: its queue and the virtual thread that sends from it. */
  private final class Watcher implements AutoCloseable {
    final TenantId tenant;
    final Consumer<String> send;
    final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    final AtomicInteger dropped = new AtomicInteger();
    volatile boolean closed;
    volatile Thread thread;

    Watcher(TenantId tenant, Consumer<String> send) {
      this.tenant = tenant;
      this.send = send;
    }

    void offer(String text) {
      while (!queue.offer(text)) {
        if (queue.poll() != null) {
          dropped.incrementAndGet();
        }
      }
    }

    void run() {
      while (!closed) {
        try {
          String text = queue.poll(500, TimeUnit.MILLISECONDS);
          int lost = dropped.getAndSet(0);
          if (lost > 0) {
            send.accept(JSON.writeValueAsString(entry("error", null, null, lost
                + " live entries were dropped: the panel could not keep up", null)));
          }
          if (text != null) {
            send.accept(text);
          }
        } catch (InterruptedException e) {
          return;
        } catch (IOException | RuntimeException e) {
          LOG.debug("live panel of {}: send failed ({}); closing it", tenant, e.toString());
          close();
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      watchers.computeIfPresent(tenant, (t, set) -> {
        set.remove(this);
        return set.isEmpty() ? null : set;
      });
      Thread t = thread;
      if (t != null && t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }
}
