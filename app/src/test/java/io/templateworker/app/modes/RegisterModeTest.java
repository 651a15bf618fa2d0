package io.templateworker.app.modes;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.app.AppContext;
import io.templateworker.app.CliOptions;
import io.templateworker.app.WorkerType;
import io.templateworker.app.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --worker-type register} in local mode: a throw-away mock Discord takes the commands. */
class RegisterModeTest {

    @TempDir
    Path dir;

    int run(Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        AppContext ctx = new AppContext(new CliOptions(WorkerType.REGISTER, 1, null, null, false, null, null),
                ConfigLoader.load(null, dir.resolve("data"), env, dir), System.currentTimeMillis(), "test");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new RegisterMode().run(ctx);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void registers_the_commands_of_builtins_register_and_prints_how_many() throws Exception {
        Path builtins = Files.createDirectories(dir.resolve("builtins"));
        Files.writeString(builtins.resolve("builtins.templateloop.luau"), "return function(ctx) end");
        Files.writeString(builtins.resolve("builtins.register.luau"), """
                return {commands = {{name = "ping", description = "Ping"}, {name = "help", description = "Help"},
                  {name = "stats", description = "Stats"}}}
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(Map.of("TW_TEMPLATES_BUILTINS", builtins.toString()), out, err);
        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("registered 3 global commands").contains("throw-away mock Discord");
    }

    @Test
    void without_builtins_it_says_what_to_set() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(Map.of(), out, err)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("templates.builtins").contains("TW_TEMPLATES_BUILTINS");
    }
}
