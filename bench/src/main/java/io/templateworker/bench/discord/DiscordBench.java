package io.templateworker.bench.discord;

import io.templateworker.bench.Bench;
import io.templateworker.bench.Jmh;
import io.templateworker.bench.Results;
import java.lang.management.ManagementFactory;

/**
 * The rate limiter's own cost per request, without HTTP: taking a bucket's place (its queue, the bucket check, the
 * global window), learning from the answer's {@code X-RateLimit-*} headers, giving the place back, and the
 * invalid-request guard's check. Figures in ns per request. Then {@code ctx.Discord} from Luau against an in-process
 * mock Discord ({@link DiscordPluginBench}): round-trip p50/p99 and calls/s with 100 tenants. The load average is
 * printed first: on a shared machine the figures move with it. Args: {@code [--seconds S]} per plugin figure
 * (default 10), {@code [--plugin-only]}.
 */
public final class DiscordBench implements Bench {

    @Override
    public void run(String[] args, Results results) throws Exception {
        int seconds = 10;
        boolean pluginOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--plugin-only" -> pluginOnly = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "' (expected --seconds S or --plugin-only)");
            }
        }
        results.report("discord.load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
        if (!pluginOnly) {
            Jmh.run(LimiterJmh.class, "discord", results, b -> b.warmupIterations(3).measurementIterations(5));
        }
        DiscordPluginBench.run(seconds, results);
        results.report("discord.load_average_after", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
    }
}
