package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.ErrorReporter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Template errors posted to Discord (UPSTREAM.md §7.8, 2025 form): an embed "Error executing template" with the error
 * in a Lua code block and a "Template" field, plus a "Support Server" link button when {@code meta.support_server_invite}
 * is set. It goes to the template's {@code error_channel}, else to {@code meta.default_error_channel}; with neither,
 * nothing is posted (the error is still in the tenant's log). Each tenant may post {@link #BURST} reports per
 * {@link #WINDOW_NANOS}; the reports it loses meanwhile are counted in its next one, so a template failing on every
 * message cannot flood a channel (or spend the bot's rate limits). When Discord answers 404 (the channel is gone), the
 * channel is cleared from the template (upstream updated a table that does not exist, gap 17), so later errors go to
 * the default channel.
 *
 * <p>Every error also goes to {@code delegate} (the tenant log). Posting happens off the dispatch path.
 */
public final class DiscordErrorReports implements ErrorReporter, AutoCloseable {

    /** Reports a tenant may post at once, and the window in which they refill. */
    static final int BURST = 3;
    static final long WINDOW_NANOS = 60_000_000_000L;
    /** Discord's limit on an embed description, less the code fence. */
    private static final int MAX_ERROR_CHARS = 4000;

    private static final Logger LOG = LoggerFactory.getLogger(DiscordErrorReports.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ErrorReporter delegate;
    private final DiscordRest rest;
    private final TemplateStore templates;
    private final String defaultChannel;
    private final String supportInvite;
    private final LongSupplier clock;
    private final Map<TenantId, Allowance> allowances = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger posted = new AtomicInteger();

    /**
     * @param defaultChannel {@code meta.default_error_channel}, or null
     * @param supportInvite  {@code meta.support_server_invite}, or null (no button)
     */
    public DiscordErrorReports(ErrorReporter delegate, DiscordRest rest, TemplateStore templates, String defaultChannel,
            String supportInvite, LongSupplier clock) {
        this.delegate = delegate;
        this.rest = rest;
        this.templates = templates;
        this.defaultChannel = defaultChannel;
        this.supportInvite = supportInvite;
        this.clock = clock;
    }

    public DiscordErrorReports(ErrorReporter delegate, DiscordRest rest, TemplateStore templates, String defaultChannel,
            String supportInvite) {
        this(delegate, rest, templates, defaultChannel, supportInvite, System::nanoTime);
    }

    @Override
    public void report(TenantId tenant, String template, String event, String error) {
        delegate.report(tenant, template, event, error);
        post(tenant, template, event, error);
    }

    @Override
    public void report(TenantId tenant, String template, String event, String message, String traceback) {
        delegate.report(tenant, template, event, message, traceback);
        post(tenant, template, event, traceback == null ? message : message + "\n" + traceback);
    }

    @Override
    public void print(TenantId tenant, String template, String text) {
        delegate.print(tenant, template, text);
    }

    /** Reports posted to Discord so far (tests, benchmarks). */
    public int posted() {
        return posted.get();
    }

    private void post(TenantId tenant, String template, String event, String error) {
        if (tenant.type() != TenantId.Type.GUILD) {
            return;
        }
        int missed = allowances.computeIfAbsent(tenant, t -> new Allowance()).take(clock.getAsLong());
        if (missed < 0) {
            return; // over the tenant's allowance: counted, reported with the next one that goes out
        }
        try {
            senders.execute(() -> send(tenant, template, event, error, missed));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closing: the error is in the tenant log
        }
    }

    private void send(TenantId tenant, String template, String event, String error, int missed) {
        String channel = null;
        boolean own = false;
        try {
            Template t = template == null ? null : templates.get(tenant, template);
            if (t != null && t.errorChannel() != null) {
                channel = t.errorChannel();
                own = true;
            } else {
                channel = defaultChannel;
            }
            if (channel == null) {
                return;
            }
            rest.execute(DiscordRequest.post("/channels/{channel_id}/messages", body(template, event, error, missed), channel));
            posted.incrementAndGet();
        } catch (DiscordException e) {
            if (e.status() == 404 && own) {
                boolean cleared = templates.clearErrorChannel(tenant, template, channel);
                LOG.warn("tenant={} template={}: its error channel {} does not exist (Discord: 404){}", tenant, template, channel,
                        cleared ? "; cleared it from the template, later errors go to meta.default_error_channel" : "");
            } else {
                LOG.warn("tenant={} template={}: could not post an error report to channel {}: {}", tenant, template, channel,
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("tenant={} template={}: could not post an error report: {}", tenant, template, e.toString());
        }
    }

    /** The message: upstream's embed and button, with the template (and, ours, the event and lost reports) in fields. */
    String body(String template, String event, String error, int missed) {
        ObjectNode msg = JSON.createObjectNode();
        ObjectNode embed = msg.putArray("embeds").addObject();
        embed.put("title", "Error executing template");
        String text = error == null ? "" : error;
        if (text.length() > MAX_ERROR_CHARS) {
            text = text.substring(0, MAX_ERROR_CHARS) + "…";
        }
        // A backtick in the error would end the code block: a zero-width space after each keeps them apart.
        embed.put("description", "```lua\n" + text.replace("`", "`\u200b") + "\n```");
        embed.put("color", 0xED4245);
        ArrayNode fields = embed.putArray("fields");
        field(fields, "Template", template == null ? "(loading the tenant's templates)" : template);
        if (event != null) {
            field(fields, "Event", event);
        }
        if (missed > 0) {
            field(fields, "Not reported", missed + " more error" + (missed == 1 ? "" : "s") + " since the last report (at most "
                    + BURST + " reports a minute)");
        }
        if (supportInvite != null && !supportInvite.isBlank()) {
            ObjectNode button = msg.putArray("components").addObject().put("type", 1).putArray("components").addObject();
            button.put("type", 2).put("style", 5).put("label", "Support Server").put("url", supportInvite);
        }
        msg.putObject("allowed_mentions").putArray("parse");
        return msg.toString();
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("name", name).put("value", value.length() > 1024 ? value.substring(0, 1023) + "…" : value)
                .put("inline", true);
    }

    /** A tenant's reports: {@link #BURST} per window, refilled one by one; what it lost meanwhile. */
    private static final class Allowance {
        private long tat; // GCRA: theoretical arrival time
        private int missed;

        /** The number of reports lost before this one, or -1 when this one is lost too. */
        synchronized int take(long now) {
            long interval = WINDOW_NANOS / BURST;
            long start = Math.max(tat, now);
            if (start - now > WINDOW_NANOS - interval) {
                missed++;
                return -1;
            }
            tat = start + interval;
            int lost = missed;
            missed = 0;
            return lost;
        }
    }

    @Override
    public void close() {
        senders.shutdown();
    }
}
