package io.templateworker.bench.discord;

import io.templateworker.bench.Bench;
import io.templateworker.bench.Jmh;
import io.templateworker.bench.Results;
import java.lang.management.ManagementFactory;

/**
 * The rate limiter's own cost per request, without HTTP: taking a bucket's place (its queue, the bucket check, the
 * global window), learning from the answer's {@code X-RateLimit-*} headers, giving the place back, and the
 * invalid-request guard's check. Figures in ns per request. (The plugin round trip and 100-tenant figures come with
 * the {@code ctx.Discord} plugin.)
 */
public final class DiscordBench implements Bench {

    @Override
    public void run(String[] args, Results results) throws Exception {
        results.report("discord.load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
        Jmh.run(LimiterJmh.class, "discord", results, b -> b.warmupIterations(3).measurementIterations(5));
    }
}
