package io.templateworker.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.app.AppContext;
import io.templateworker.app.WorkerType;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.modes.ProcessPoolMode;
import io.templateworker.app.service.Service;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.worker.process.ChildLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The gateway path on the process pool: two child JVMs, each reading its own shard of the mock's gateway (events never
 * cross Mesophyll); their template errors reach the master over Mesophyll, which posts the reports. The children report
 * their shards to the master ({@code /bot-stats}) with their sessions, which a child replacing a crashed one resumes.
 */
class ProcessPoolGatewayTest extends GatewayEndToEnd {

    @Override
    WorkerType workerType() {
        return WorkerType.PROCESSPOOL;
    }

    @Override
    BiFunction<AppContext, Service, DiscordSetup> mode() {
        return ProcessPoolMode::install;
    }

    @Test
    void bot_stats_lists_the_shards_every_child_reads() throws Exception {
        await().atMost(WAIT).until(() -> {
            JsonNode shards = api("GET", "/bot-stats", null).path("shard_conns");
            return shards.size() == workers && shards.path("0").path("status").asText().equals("ready")
                    && shards.path("1").path("status").asText().equals("ready");
        });
        JsonNode stats = api("GET", "/bot-stats", null);
        assertThat(stats.path("total_guilds").asLong()).as("the demo guild and the other one").isEqualTo(2);
    }

    @Test
    void a_child_killed_with_sigkill_is_replaced_by_one_that_resumes_and_gets_the_events_of_the_gap_once() throws Exception {
        int worker = (int) ((GUILD >> 22) % workers);
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "ping before-kill");
        await().atMost(WAIT).until(() -> botMessages(GENERAL, "pong before-kill").size() == 1);
        JsonNode before = admin("GET", "/gateway", null);
        long pid = activeChild(worker);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: the child leaves nothing behind
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        for (int i = 0; i < 5; i++) {
            say(GUILD, GENERAL, DemoGuild.BOB_ID, "ping gap-" + i); // no child reads this shard now
        }
        for (int i = 0; i < 5; i++) {
            String expected = "pong gap-" + i;
            await().atMost(WAIT).until(() -> botMessages(GENERAL, expected).size() >= 1);
        }
        JsonNode after = admin("GET", "/gateway", null);
        assertThat(after.path("resumes").asInt()).as("the replacement resumed the session").isGreaterThan(before.path("resumes").asInt());
        assertThat(after.path("identifies").asInt()).as("and did not identify afresh").isEqualTo(before.path("identifies").asInt());
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "ping after-kill-marker");
        await().atMost(WAIT).until(() -> botMessages(GENERAL, "pong after-kill-marker").size() == 1);
        for (int i = 0; i < 5; i++) {
            assertThat(botMessages(GENERAL, "pong gap-" + i)).as("replies to ping gap-%d", i).hasSize(1);
        }
        // ctx.current_user came with the sessions (a resumed session gets no READY).
        int answered = botMessagesStarting(GENERAL, "I am ").size();
        say(GUILD, GENERAL, DemoGuild.BOB_ID, "whoami");
        await().atMost(WAIT).until(() -> botMessagesStarting(GENERAL, "I am ").size() == answered + 1);
        assertThat(botMessagesStarting(GENERAL, "I am ")).allSatisfy(m ->
                assertThat(m.path("content").asText()).endsWith(" " + Long.toUnsignedString(mock.botId())));
    }

    /** The pid of worker {@code worker}'s serving child (not its warm standby): a child process of this JVM. */
    static long activeChild(int worker) {
        List<ProcessHandle> all = ProcessHandle.current().children().toList();
        List<ProcessHandle> children = all.stream().filter(p -> {
            List<String> args = proc(p.pid(), "cmdline");
            int i = args.indexOf("--worker-id");
            return i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(Integer.toString(worker)) && !standby(p.pid());
        }).toList();
        assertThat(children).as("serving children of worker %d among %s", worker,
                all.stream().map(p -> p.pid() + " " + proc(p.pid(), "cmdline")).toList()).hasSize(1);
        return children.get(0).pid();
    }

    /** A NUL-separated file of /proc/PID (Linux): the command line or the environment. */
    private static List<String> proc(long pid, String file) {
        try {
            return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/" + file)), StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static boolean standby(long pid) {
        return proc(pid, "environ").contains(ChildLauncher.STANDBY_ENV + "=1");
    }
}
