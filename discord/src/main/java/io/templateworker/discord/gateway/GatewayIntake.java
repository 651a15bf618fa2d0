package io.templateworker.discord.gateway;

import io.templateworker.discord.state.GatewayGuildState;
import io.templateworker.runtime.event.CreateEvent;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to each dispatch: the guild state learns from it (every event, {@code GUILD_CREATE} included), then the
 * {@link EventTranslator} decides whether templates see it and hands it to the owning worker without waiting.
 */
public final class GatewayIntake implements GatewayListener {

    /** Where template events go: {@code dispatch_event_nowait} of the worker that owns the guild. */
    @FunctionalInterface
    public interface EventSink {
        void dispatch(long guildId, CreateEvent event);
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayIntake.class);

    private final GatewayGuildState guildState;
    private final EventTranslator translator;
    private final EventSink sink;
    private final LongAdder dispatched = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /** @param guildState the cache to keep current, or null for none */
    public GatewayIntake(GatewayGuildState guildState, EventTranslator translator, EventSink sink) {
        this.guildState = guildState;
        this.translator = translator;
        this.sink = sink;
    }

    @Override
    public void onEvent(GatewayEvent event) {
        if (guildState != null) {
            guildState.apply(event.type(), event.data());
        }
        EventTranslator.Routed routed = translator.translate(event);
        if (routed == null) {
            dropped.increment();
            return;
        }
        try {
            sink.dispatch(routed.guildId(), routed.event());
            dispatched.increment();
        } catch (RuntimeException e) {
            // A worker refusing an event (queue full, stopping) must not stop the shard reading the next one.
            dropped.increment();
            LOG.warn("gateway: {} for guild {} was not dispatched: {}", routed.event().name(), Long.toUnsignedString(routed.guildId()),
                    e.getMessage());
        }
    }

    @Override
    public void onStatus(int shard, ShardStatus status) {
        LOG.info("gateway: shard {} is {}", shard, status);
    }

    /** Events handed to workers so far. */
    public long dispatched() {
        return dispatched.sum();
    }

    /** Events dropped by the translation rules or refused by a worker. */
    public long dropped() {
        return dropped.sum();
    }
}
