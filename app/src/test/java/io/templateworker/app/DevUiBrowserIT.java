package io.templateworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dev UI in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code bin/test}
 * installs) against the real fat jar in local mode: the page opens on the demo guild with the demo template in the
 * editor, whose {@code !ping} answer ("Pong!") shows in the mock's {@code #general} and its run in the live panel; a
 * compile error is shown at its line; a saved template answers {@code !ping} too, and the live panel and the KV
 * browser show the run. Every wait is for a condition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevUiBrowserIT {
    static final Path CHROMIUM = Path.of(System.getProperty("tw.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("tw.chromedriver", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    Process service;
    Path log;
    int port;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        // Loud, not skipped: a machine without a browser must not pass the dev UI's tests quietly.
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the dev UI's browser tests need Debian's chromium and chromium-driver (%s, %s): run bin/test as root,"
                        + " which installs them, or 'apt-get install chromium chromium-driver'", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        Path jar = Path.of(System.getProperty("tw.jar", "target/template-worker.jar"));
        assertThat(jar).as("the shaded jar (built by mvn package)").exists();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = dir.resolve("service.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss16m", "-jar", jar.toString(),
                "--data-dir", dir.resolve("data").toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TW_ADDRS_TEMPLATE_WORKER", "127.0.0.1:" + port);
        pb.environment().put("TW_ADDRS_MOCK_DISCORD", "127.0.0.1:0");
        service = pb.start();
        waitHealthy();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
        // The live panel and the channel re-render as entries arrive: an element found a moment before may be
        // replaced before its text is read, so a condition that meets a stale element is tried again.
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        // The page re-renders the live log and the channel as entries arrive: an element found a moment ago may be
        // gone when its text is read; the condition is then simply checked again.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void edit_save_and_ping_through_the_dev_ui() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/dev");
        // Local mode: signed in as this machine's root, on the demo guild, with #general and the demo template open.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-state.ok")));
        wait.until(d -> d.findElement(By.cssSelector("#template-list li[data-name='ping']")).isDisplayed());
        wait.until(d -> code().contains("Pong!"));
        assertThat(selected("guild-select")).isEqualTo("1064135068928454766");
        assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("channel-select")))
                .getFirstSelectedOption().getText()).isEqualTo("#general");

        // The demo template as seeded answers !ping posted in #general through the gateway: its "Pong!" shows in the
        // channel and the run, with the template's result, in the live panel.
        browser.findElement(By.id("message-input")).sendKeys("!ping", Keys.ENTER);
        wait.until(d -> d.findElements(By.cssSelector("#messages .msg.bot")).stream()
                .anyMatch(m -> m.getText().contains("Pong!")));
        wait.until(d -> d.findElements(By.cssSelector("#live-log .live-entry.event")).stream()
                .anyMatch(e -> e.getText().contains("MESSAGE") && e.getText().contains("ping: ok \"pong\"")));

        // A compile error is refused and shown at its line.
        setCode("return {\n  MESSAGE = function(ctx)\n    local x = = 1\n  end,\n}\n");
        browser.findElement(By.id("save-btn")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("editor-error")));
        assertThat(error.getAttribute("data-line")).isEqualTo("3");
        assertThat(error.getText()).contains("init.luau line 3");
        wait.until(d -> !d.findElements(By.cssSelector(".cm-lintRange-error")).isEmpty());

        // A working version is saved; it runs at once (OnStartup), and the live panel shows it.
        setCode(PING_TEMPLATE);
        WebElement events = browser.findElement(By.id("template-events"));
        events.clear();
        events.sendKeys("MESSAGE, OnStartup");
        browser.findElement(By.id("save-btn")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Saved ping"));
        assertThat(browser.findElement(By.id("editor-error")).isDisplayed()).isFalse();
        wait.until(d -> d.findElements(By.cssSelector("#live-log .live-entry.print")).stream()
                .anyMatch(e -> e.getText().contains("browser test template started")));
        wait.until(d -> d.findElements(By.cssSelector("#live-log .live-entry.event")).stream()
                .anyMatch(e -> e.getText().contains("OnStartup") && e.getText().contains("ping: ok")));

        // !ping posted again reaches the saved version: its reply (with its embed) shows in the channel, the run in the
        // live panel (the result is the counter, not the demo's "pong"), the counter in the KV browser.
        int botMessages = browser.findElements(By.cssSelector("#messages .msg.bot")).size();
        browser.findElement(By.id("message-input")).sendKeys("!ping", Keys.ENTER);
        wait.until(d -> d.findElements(By.cssSelector("#messages .msg.bot")).stream().skip(botMessages)
                .anyMatch(m -> m.getText().contains("Pong from the browser test")
                        && m.findElement(By.cssSelector(".embed-title")).getText().startsWith("Embed title ")));
        wait.until(d -> d.findElements(By.cssSelector("#live-log .live-entry.print")).stream()
                .anyMatch(e -> e.getText().contains("browser test saw !ping")));
        wait.until(d -> d.findElements(By.cssSelector("#live-log .live-entry.event")).stream()
                .anyMatch(e -> e.getText().contains("MESSAGE") && e.getText().matches("(?s).*ping: ok \\d+.*")));
        wait.until(d -> !d.findElements(By.cssSelector("#kv-table tr[data-key='seen']")).isEmpty());
    }

    static final String PING_TEMPLATE = """
            return {
              OnStartup = function(ctx)
                print("browser test template started")
                return "started"
              end,
              MESSAGE = function(ctx)
                local msg = ctx.event.data
                local seen = (ctx.KV:get("seen", {"browser"}) or 0) + 1
                ctx.KV:set("seen", seen, {"browser"})
                print("browser test saw " .. msg.content)
                if msg.content == "!ping" then
                  ctx.Discord:create_message({channel_id = msg.channel_id,
                    data = {content = "Pong from the browser test", embeds = {{title = "Embed title " .. seen}}}})
                end
                return seen
              end,
            }
            """;

    private String code() {
        return (String) ((JavascriptExecutor) browser).executeScript("return window.devui ? window.devui.code() : ''");
    }

    private void setCode(String text) {
        ((JavascriptExecutor) browser).executeScript("window.devui.setCode(arguments[0])", text);
    }

    private String selected(String selectId) {
        return new org.openqa.selenium.support.ui.Select(browser.findElement(By.id(selectId))).getFirstSelectedOption()
                .getAttribute("value");
    }

    private void waitHealthy() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("service exited with " + service.exitValue() + " before it was healthy:\n"
                        + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthcheck"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("service not healthy within 120 s:\n" + Files.readString(log));
    }
}
