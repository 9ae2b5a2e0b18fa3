package org.optout.notifier.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sign-up API under a burst (a news article linking the form): {@code wrk} posting distinct addresses to
 * {@code POST /api/subscriptions}, each request from an address of its own ({@code X-Forwarded-For}), then the queued
 * requests drained into confirmation mails and counted. Baseline: {@code wrk} on a read-only endpoint of the same
 * process ({@code GET /api/platforms}), the HTTP stack's own limit.
 */
final class SignUp implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** On two cores the sign-up's rate climbed for eight bursts on 2026-12-04 (232, 727, 871, 1,140, 1,421, 1,665,
     *  1,871, 1,934 requests/s): five had measured a service still compiling. */
    private static final int WARM_UP_BURSTS = 8;

    /** Distinct addresses and client IPs per thread and request; prints wrk's figures as JSON at the end. */
    private static final String SCRIPT = """
            local threads = {}
            local counter = 0

            local prefix = "bench"
            function setup(thread)
              thread:set("id", #threads + 1)
              table.insert(threads, thread)
            end
            function init(args)
              prefix = args[1] or prefix
            end
            function request()
              counter = counter + 1
              local n = id * 10000000 + counter
              local ip = string.format("10.%d.%d.%d", id, math.floor(counter / 256) % 256, counter % 256)
              local body = string.format('{"email":"%s-%d@example.org","country":"HK","platforms":["linkedin"]}',
                prefix, n)
              return wrk.format("POST", "/api/subscriptions",
                {["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip}, body)
            end
            function done(summary, latency, requests)
              local non2xx = summary.errors.status
              io.write(string.format('JSON {"requests":%d,"seconds":%f,"non2xx":%d,"socketErrors":%d,'
                .. '"p50":%f,"p99":%f,"max":%f}\\n', summary.requests, summary.duration / 1e6, non2xx,
                summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
                latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
            end
            """;

    /** The same report for any endpoint. */
    private static final String GET_SCRIPT = SCRIPT.substring(SCRIPT.indexOf("function done"));

    private record Burst(double requestsPerSecond, double p50, double p99, double max, long accepted) {
    }

    @Override
    public String name() {
        return "sign-up";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        Path folder = run.folder("sign-up");
        Path post = Files.writeString(folder.resolve("sign-up.lua"), SCRIPT);
        Path get = Files.writeString(folder.resolve("read-only.lua"), GET_SCRIPT);
        int connections = run.size().signUpConnections();
        String size = connections + " connections, " + run.size().signUpFor().toSeconds() + " s";
        try (BenchDatabase database = run.freshDatabase(); SmtpSink sink = SmtpSink.start()) {
            var environment = ServiceUnderTest.environment(database.url(), run.kafka(), sink.port());
            Path jfr = run.folder("profiles").resolve("sign-up.jfr");
            try (ServiceUnderTest app = ServiceUnderTest.start("sign-up", environment, jfr)) {
                // Bursts first, not counted, until three in a row agree within a tenth: the figures are of a
                // service that has been running, not of one whose JIT is still compiling the path. The confirmations are drained once, after the bursts:
                // the service mails them one at a time whatever the backlog, so a burst meets the same background
                // work whether earlier ones were drained or not.
                long accepted = 0;
                if (!run.size().checkOnly()) {
                    List<Burst> warmUps = new ArrayList<>();
                    BenchRun.warmUp("sign-ups/s", WARM_UP_BURSTS, () -> {
                        Burst burst = wrk(run, app, "/api/subscriptions", post, "warm-up-" + warmUps.size());
                        warmUps.add(burst);
                        return burst.requestsPerSecond();
                    });
                    accepted += warmUps.stream().mapToLong(Burst::accepted).sum();
                    wrk(run, app, "/api/platforms", get, "");
                }
                List<Burst> signUps = new ArrayList<>();
                Stats rate = run.repeat(() -> {
                    Burst burst = wrk(run, app, "/api/subscriptions", post, "signup-" + signUps.size());
                    signUps.add(burst);
                    return burst.requestsPerSecond();
                });
                accepted += signUps.stream().mapToLong(Burst::accepted).sum();
                double drain = drained(database, accepted, Duration.ofMinutes(20));
                double resident = app.residentMiB();
                double profiler = app.profilerMiB();
                List<Burst> reads = new ArrayList<>();
                Stats readRate = run.repeat(() -> {
                    Burst burst = wrk(run, app, "/api/platforms", get, "");
                    reads.add(burst);
                    return burst.requestsPerSecond();
                });
                String baseline = "wrk on GET /api/platforms";
                run.profile("sign-up", jfr);
                run.add(Figure.of(name(), size, "requests/s", rate, "requests/s", true).target(2000.0, null)
                        .against(baseline, readRate));
                run.add(Figure.of(name(), size, "p50 latency", latencies(signUps, Burst::p50), "ms", false)
                        .against(baseline, latencies(reads, Burst::p50)));
                run.add(Figure.of(name(), size, "p99 latency", latencies(signUps, Burst::p99), "ms", false)
                        .target(50.0, null).against(baseline, latencies(reads, Burst::p99)));
                run.add(Figure.of(name(), size, "max latency", latencies(signUps, Burst::max), "ms", false)
                        .against(baseline, latencies(reads, Burst::max)));
                run.add(Figure.of(name(), size, "all bursts' requests drained into confirmations mailed",
                        Stats.of(List.of(drain)), "s", false));
                run.add(Figure.of(name(), size, "RSS after the bursts", Stats.of(List.of(resident - profiler)),
                        "MiB", false).target(400.0, null));
                run.add(Figure.of(name(), size, "RSS after the bursts, with the profiler's " + Report.number(profiler)
                        + " MiB", Stats.of(List.of(resident)), "MiB", false));
            }
        }
    }

    private static Stats latencies(List<Burst> bursts, java.util.function.ToDoubleFunction<Burst> latency) {
        return Stats.of(bursts.stream().map(b -> latency.applyAsDouble(b)).toList());
    }

    private static Burst wrk(BenchRun run, ServiceUnderTest app, String path, Path script, String prefix)
            throws Exception {
        Path log = run.folder("logs").resolve("wrk.log");
        Process wrk = Processes.start(List.of("wrk", "-t2", "-c" + run.size().signUpConnections(),
                "-d" + run.size().signUpFor().toSeconds() + "s", "--timeout", "10s", "-s", script.toString(),
                app.uri(path).toString(), "--", prefix), log);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + Files.readString(log));
        }
        String output = Files.readString(log);
        JsonNode result = JSON.readTree(output.substring(output.indexOf("JSON ") + 5).lines().findFirst().orElseThrow());
        long requests = result.get("requests").asLong();
        long accepted = requests - result.get("non2xx").asLong() - result.get("socketErrors").asLong();
        BenchRun.log("  wrk " + path + ": " + requests + " requests, " + accepted + " accepted");
        return new Burst(requests / result.get("seconds").asDouble(), result.get("p50").asDouble(),
                result.get("p99").asDouble(), result.get("max").asDouble(), accepted);
    }

    /**
     * Waits until no request is queued and returns the seconds it took. Throws when fewer confirmations are pending
     * than requests were accepted in all (wrk counts only answered requests, so there may be a few more).
     */
    private static double drained(BenchDatabase database, long accepted, Duration limit) throws Exception {
        long start = System.nanoTime();
        while (database.count("select count(*) from subscription_request") > 0) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new IllegalStateException("sign-up requests still queued after " + limit);
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long confirmations = database.count("select count(*) from subscription_confirmation");
        BenchRun.log("  drained in " + Report.number(seconds) + " s; " + confirmations + " confirmations pending for "
                + accepted + " accepted requests");
        if (confirmations < accepted) {
            throw new IllegalStateException(accepted - confirmations + " accepted sign-ups have no confirmation");
        }
        return seconds;
    }
}
