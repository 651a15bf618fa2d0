package io.templateworker.app.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.CreateGlobalKv;
import io.templateworker.runtime.store.ReviewState;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.logs.PostgresTemplateErrorStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.template.PostgresTemplateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.WorkerPool;
import io.templateworker.worker.log.TenantLogBook;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.thread.ThreadPool;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shell's evaluator and scripted front end against a real PostgreSQL, a real mock Discord and a real thread pool. */
class FauxpasShellTest {
    private static final TenantId GUILD = TenantId.guild(1064135068928454766L);
    private static DataSource db;
    private static TenantServices stores;
    private static MockDiscord mock;
    private static DiscordRestClient discord;
    private static ThreadPool pool;
    private static final List<TenantId> droppedInService = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        db = TestPostgres.freshDatabase();
        stores = new TenantServices(new PostgresTenantStateStore(db), new PostgresTemplateStore(db),
                new PostgresKvStore(db, InstantSource.system(), (t, id, key, scopes, at) -> { }), new PostgresGlobalKvStore(db, "http://x/purchase/"));
        mock = MockDiscord.start(MockDiscord.Options.defaults());
        discord = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()), new SimpleMeterRegistry());
    }

    @AfterAll
    static void tearDown() {
        if (pool != null) {
            pool.kill();
        }
        discord.close();
        mock.close();
    }

    private static ShellServices services() {
        Supplier<WorkerPool> pools = () -> {
            synchronized (FauxpasShellTest.class) {
                if (pool == null) {
                    pool = new ThreadPool(2, WorkerConfig.DEFAULTS, stores, new LuauIsolateFactory(Limits.defaults()),
                            new TenantLogBook(new PostgresTemplateErrorStore(db)), KhronosValue.Null.INSTANCE);
                }
                return pool;
            }
        };
        return new ShellServices(stores, db, discord, pools, t -> {
            synchronized (droppedInService) {
                droppedInService.add(t);
            }
        });
    }

    /** Runs {@code script} through the scripted front end; returns [exit code, output]. */
    private static Object[] script(String script) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = ShellRepl.scripted(new BufferedReader(new StringReader(script)), out,
                (input, o) -> new FauxpasShell(services(), input, o));
        return new Object[] {code, bytes.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void each_line_is_tried_as_an_expression_first_then_as_a_statement() {
        Object[] r = script("1 + 1\nx = 20\nreturn x + 1\n'text'\n{a = 1}\n");
        assertThat(r[0]).isEqualTo(0);
        assertThat((String) r[1]).isEqualTo("Ok: 2\nOk: nil\nOk: 21\nOk: \"text\"\nOk: {\n    a = 1,\n}\n");
    }

    @Test
    void last_and_lasterror_hold_the_previous_outcomes_and_statements_span_lines() {
        Object[] r = script("40\nlast + 2\ns = 0\nfor i = 1, 3 do\n  s += i\nend\n");
        assertThat(r[0]).isEqualTo(0);
        assertThat((String) r[1]).isEqualTo("Ok: 40\nOk: 42\nOk: nil\nOk: nil\n");
    }

    @Test
    void a_script_stops_at_the_first_error_with_exit_1_and_a_traceback() {
        Object[] r = script("1\nerror('boom')\n2\n");
        assertThat(r[0]).isEqualTo(1);
        String out = (String) r[1];
        assertThat(out).startsWith("Ok: 1\nError: /init.luau:1: boom\n").doesNotContain("Ok: 2");
        assertThat(out.lines().count()).as("the traceback follows the error line: %s", out).isGreaterThan(2);
        assertThat(out).doesNotContain("java.", "Exception");
        assertThat(script("local = 1\n")).satisfies(e -> {
            assertThat(e[0]).isEqualTo(1);
            assertThat((String) e[1]).startsWith("Error: /init.luau:1:");
        });
        assertThat(script("for i = 1, 2 do\n")[1]).asString().contains("the input ended inside a statement");
    }

    @Test
    void interactive_style_errors_are_kept_in_lasterror() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FauxpasShell shell = new FauxpasShell(services(), p -> null, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            assertThat(shell.eval("error('first')").ok()).isFalse();
            assertThat(shell.eval("lasterror").line()).isEqualTo("Ok: \"/init.luau:1: first\"");
            assertThat(shell.eval("ctx:Log({1, 2}, 'x')").line()).isEqualTo("Ok: nil");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("{\n    [1] = 1,\n    [2] = 2,\n}, \"x\"\n");
    }

    @Test
    void kv_god_reads_and_writes_any_tenant_and_mod_writes_what_the_builtins_read() {
        String id = "{tenant_type = 'guild', tenant_id = '" + GUILD.idString() + "'}";
        Object[] r = script("kv = ctx:CreateKvGod()\n"
                + "kv:Set(" + id + ", {'shell'}, 'greeting', {text = 'hi'})\n"
                + "kv:Get(" + id + ", {'shell'}, 'greeting').text\n"
                + "#kv:Find(" + id + ", {'shell'}, 'greet%')\n"
                + "mod.GivePermsToMember(" + id + ", '42', {'kick'})\n"
                + "mod.SetRolePermission(" + id + ", '7', 2, {'ban'})\n"
                + "kv:Delete(" + id + ", {'shell'}, 'greeting')\n"
                + "kv:Get(" + id + ", {'shell'}, 'greeting')\n");
        assertThat((String) r[1]).isEqualTo("Ok: nil\nOk: nil\nOk: \"hi\"\nOk: 1\nOk: nil\nOk: nil\nOk: true\nOk: nil\n");
        assertThat(stores.kv().get(GUILD, List.of("builtins.guild_permissions.overrides"), "42").value().toString())
                .contains("kick");
        assertThat(stores.kv().get(GUILD, List.of("builtins.guild_permissions"), "7").value().toString())
                .contains("index").contains("perms").contains("ban");
    }

    @Test
    void interactive_mod_utilities_read_their_answers_from_the_input() {
        Object[] r = script("mod.GivePermsToMemberInteractive()\nGuild\n" + GUILD.idString() + "\n99\nkick, ban\ny\n"
                + "ctx:CreateKvGod():Get('" + GUILD.idString() + "', {'builtins.guild_permissions.overrides'}, '99')[2]\n");
        assertThat(r[0]).isEqualTo(0);
        assertThat((String) r[1]).endsWith("Ok: true\nOk: \"ban\"\n");
    }

    @Test
    void staff_apis_ban_a_tenant_and_review_global_kv() {
        TenantId banned = TenantId.guild(555L << 22);
        stores.globalKv().create(GUILD, new CreateGlobalKv("shop.item", 1, "short", KhronosValue.Null.INSTANCE, "public", true,
                null, new KhronosValue.Text("data")));
        Object[] r = script("ctx:SetTenantBanState({tenant_type = 'guild', tenant_id = '" + banned.idString() + "'}, true)\n"
                + "ctx:SetGlobalKvReviewState('shop.item', 1, 'approved', 'public')\n"
                + "ctx:SetGlobalKvReviewState('shop.item', 1, 'maybe', 'public')\n");
        assertThat((String) r[1]).startsWith("Ok: nil\nOk: nil\nError: ").contains("unknown review state \"maybe\"");
        assertThat(stores.tenantStates().get(banned).banned()).isTrue();
        TenantId commands = TenantId.guild(556L << 22);
        r = script("ctx:SetTenantCanManageGuildCommands({tenant_type = 'guild', tenant_id = '" + commands.idString() + "'}, true)\n"
                + "ctx:SetTenantCanManageGuildCommands({tenant_type = 'guild', tenant_id = '" + commands.idString() + "'}, 'yes')\n");
        assertThat((String) r[1]).startsWith("Ok: nil\nError: ").contains("allowed: boolean expected");
        assertThat(stores.tenantStates().get(commands).canManageGuildCommands()).isTrue();
        synchronized (droppedInService) {
            assertThat(droppedInService).contains(banned);
        }
        assertThat(stores.globalKv().find("public", "%%")).extracting(e -> e.key() + " " + e.reviewState())
                .containsExactly("shop.item " + ReviewState.APPROVED);
    }

    @Test
    void worker_handles_run_scripts_and_dispatch_events_in_the_shells_pool() {
        TenantId guild = TenantId.guild(777L << 22);
        stores.templates().create(guild, new TemplateSpec("echo", Map.of("init.luau",
                "return { Ping = function(ctx) return 'got ' .. ctx.event.name end }"), List.of("Ping"), List.of(), false, null, null));
        String id = "'" + guild.idString() + "'";
        Object[] r = script("pool = ctx:GetPool()\n#pool\nw = pool:GetWorkerFor(" + id + ")\n"
                + "w:RunScript(" + id + ", 'probe', 'return 6 * 7')\n"
                + "w:DispatchEvent(" + id + ", {name = 'Ping', data = {}})[1].value\n"
                + "w:DropTenant(" + id + ")\n#pool:AsWorkerLike()\n");
        assertThat((String) r[1]).as("output").isEqualTo("Ok: nil\nOk: 2\nOk: nil\nOk: 42\nOk: \"got Ping\"\nOk: nil\nOk: 2\n");
    }

    @Test
    void register_global_commands_overwrites_the_bots_commands_on_the_mock_discord() {
        Object[] r = script("#ctx:RegisterGlobalCommands({{name = 'ping', description = 'Pong!', type = 1}})\n"
                + "ctx:RegisterGlobalCommands({{name = 'ping', description = 'Pong!', type = 1}})[1].name\n");
        assertThat((String) r[1]).isEqualTo("Ok: 1\nOk: \"ping\"\n");
    }

    @Test
    void db_client_runs_sql_with_typed_parameters() {
        Object[] r = script("db = ctx:CreateDbClient()\n"
                + "db:fetchall('SELECT $1::bigint + 1 AS n, $2::text AS s, $3::jsonb AS j', {db:cast(41, 'i64'), 'x', db:cast({a = 1}, 'json')})[1]\n"
                + "db:fetchall('SELECT nope')\n");
        assertThat((String) r[1]).startsWith("Ok: nil\nOk: {\n    j = {\n        a = 1,\n    },\n    n = 42,\n    s = \"x\",\n}\nError: /init.luau:1: database: ERROR: column \"nope\" does not exist");
    }

    @Test
    void the_interactive_front_end_shows_the_banner_and_prompt_reads_on_for_open_statements_and_quits_on_exit() throws Exception {
        java.io.ByteArrayInputStream keys = new java.io.ByteArrayInputStream(
                "1 + 1\nfor i = 1, 2 do\nprint('line ' .. i)\nend\nexit\nnever run\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        java.nio.file.Path history = java.nio.file.Files.createTempFile("fauxpas", ".history");
        try (org.jline.terminal.Terminal terminal = new org.jline.terminal.impl.DumbTerminal(keys, screen)) {
            assertThat(ShellRepl.interactive(terminal, history, (input, out) -> new FauxpasShell(services(), input, out))).isZero();
        }
        String text = screen.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("Fauxpas shell").contains("> ").contains(">> ").contains("Ok: 2")
                .contains("line 1").contains("line 2").doesNotContain("never run");
        assertThat(java.nio.file.Files.readString(history)).contains("1 + 1").contains("for i = 1, 2 do");
    }

    @Test
    void ctrl_c_interrupts_a_running_line_and_the_shell_goes_on() throws Exception {
        try (FauxpasShell shell = new FauxpasShell(services(), p -> null, new PrintStream(new ByteArrayOutputStream()))) {
            AtomicReference<FauxpasShell.Outcome> outcome = new AtomicReference<>();
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> outcome.set(shell.eval("while true do end")));
            await().atMost(Duration.ofSeconds(30)).until(shell::running);
            shell.interrupt();
            running.get();
            assertThat(outcome.get().line()).isEqualTo("Error: interrupted (Ctrl-C)");
            // the same for a line waiting on a timer
            running = CompletableFuture.runAsync(() -> outcome.set(shell.eval("task.wait(600)")));
            await().atMost(Duration.ofSeconds(30)).until(shell::running);
            shell.interrupt();
            running.get();
            assertThat(outcome.get().line()).isEqualTo("Error: interrupted (Ctrl-C)");
            assertThat(shell.eval("1 + 2").line()).isEqualTo("Ok: 3");
        }
    }
}
