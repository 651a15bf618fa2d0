package io.templateworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --worker-type shell} from the real fat jar: scripted through stdin (alone, then against a running service's
 * database and mock Discord) and interactive through a pseudo-terminal ({@code script}).
 */
class ShellModeIT {
    private static final Duration START = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("tw.jar", "target/template-worker.jar"));
        assertThat(jar).as("the shaded jar (built by mvn package)").exists();
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Result(int exit, String out, String err) {
    }

    /** Runs the shell with {@code stdin} piped in (not a terminal). */
    private Result shell(Path data, String stdin, String... env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(java(), "-jar", jar().toString(), "--worker-type", "shell",
                "--data-dir", data.toString())).directory(dir.toFile());
        pb.redirectError(dir.resolve("shell.err").toFile());
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("the shell ended").isTrue();
        return new Result(p.exitValue(), out, Files.readString(dir.resolve("shell.err")));
    }

    @Test
    void scripted_lines_print_ok_or_error_and_the_first_error_exits_1() throws Exception {
        Path data = dir.resolve("data");
        Result ok = shell(data, "return 1 + 1\nx = 'a' .. 'b'\nx\n");
        assertThat(ok.out()).as("stderr: %s", ok.err()).isEqualTo("Ok: 2\nOk: nil\nOk: \"ab\"\n");
        assertThat(ok.exit()).isZero();

        Result failed = shell(data, "1\nerror('stop here')\n2\n");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).startsWith("Ok: 1\nError: /init.luau:1: stop here\n").doesNotContain("Ok: 2");
        assertThat(failed.out() + failed.err()).doesNotContain("java.lang", "Exception");
    }

    @Test
    void uses_the_running_services_database_and_mock_discord() throws Exception {
        Path data = dir.resolve("data");
        int api = freePort();
        int mockPort = freePort();
        String[] env = {"TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + api, "TW_ADDRS_MOCK_DISCORD", "127.0.0.1:" + mockPort};
        ProcessBuilder pb = new ProcessBuilder(List.of(java(), "-jar", jar().toString(), "--data-dir", data.toString(),
                "--process-workers", "1")).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("service.log").toFile());
        pb.environment().put(env[0], env[1]);
        pb.environment().put(env[2], env[3]);
        Process service = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(service.isAlive()).as("service log: %s", Files.readString(dir.resolve("service.log"))).isTrue();
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/healthcheck")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
            String guild = "'1064135068928454766'";
            Result r = shell(data, "ctx:CreateKvGod():Set(" + guild + ", {'shell'}, 'k', 'v')\n"
                    + "ctx:SetTenantBanState(" + guild + ", false)\n"
                    + "#ctx:RegisterGlobalCommands({{name = 'ping', description = 'Pong!', type = 1}})\n", env);
            assertThat(r.out()).as("stderr: %s", r.err()).isEqualTo("Ok: nil\nOk: nil\nOk: 1\n");
            assertThat(r.exit()).isZero();
            // a second shell sees what the first wrote: both used the service's PostgreSQL (the folder is the service's)
            Result again = shell(data, "ctx:CreateKvGod():Get(" + guild + ", {'shell'}, 'k')\n", env);
            assertThat(again.out()).as("stderr: %s", again.err()).isEqualTo("Ok: \"v\"\n");
            // the command went to the service's mock Discord
            HttpResponse<String> commands = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mockPort
                    + "/api/v10/applications/1064135068928454800/commands")).header("Authorization", "Bot mock-discord-bot-token")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(commands.body()).contains("\"name\":\"ping\"");
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void on_a_terminal_it_shows_the_banner_and_prompt_and_ctrl_c_interrupts_the_running_line() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script (a pseudo-terminal) is needed");
        Path data = dir.resolve("data");
        // exec: without it /bin/sh (dash, when SHELL is unset as on CI) stays between script and java, dies of the
        // first Ctrl-C, and script reports its 130 once java ends
        String command = String.join(" ", List.of("exec", java(), "-jar", jar().toString(), "--worker-type", "fauxpas", "--data-dir",
                data.toString()));
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qfec", command, "/dev/null")).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("TERM", "xterm"); // CI may run without TERM: the pseudo-terminal is an xterm here
        Process p = pb.start();
        StringBuffer screen = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), screen));
        OutputStream keys = p.getOutputStream();
        try {
            await().atMost(START).until(() -> screen.toString().contains("> "));
            assertThat(screen.toString()).contains("Fauxpas shell");
            type(keys, "1 + 1\r");
            await().atMost(Duration.ofSeconds(60)).until(() -> screen.toString().contains("Ok: 2"));
            type(keys, "while true do end\r");
            // Ctrl-C until the running line reports its interruption (at the prompt a Ctrl-C only clears the line)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                type(keys, "\u0003");
                return screen.toString().contains("Error: interrupted (Ctrl-C)");
            });
            // back at the prompt before typing on (a key typed earlier would be read by the interrupted line's tail)
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String s = screen.toString();
                return s.lastIndexOf("> ") > s.indexOf("Error: interrupted (Ctrl-C)");
            });
            type(keys, "2 * 21\r");
            await().atMost(Duration.ofSeconds(60)).until(() -> screen.toString().contains("Ok: 42"));
            type(keys, "exit\r");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exit quits; screen: %s", screen).isTrue();
            assertThat(p.exitValue()).as("exit code; screen: %s", screen).isZero();
        } finally {
            p.destroyForcibly();
            reader.join(5000);
        }
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void copy(InputStream in, StringBuffer into) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
