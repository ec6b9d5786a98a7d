package bench.driver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load, the way wrk measures: {@code connections} loops, each sending its next request
 * as soon as the previous answer arrived, for a fixed time. Reports throughput (2xx answers per
 * second) and the latency of each request from its send to its answer. Unlike the open-loop ramps,
 * this says how much a target serves when it sets the pace, not what latency a given arrival rate
 * meets: the figure users compare between systems.
 *
 * <pre>
 * driver closed --target=name|url|hostTemplate|tenants|pathTemplate|paths ... --connections=32 --seconds=S
 *               --warmup-seconds=W --out=FILE
 * </pre>
 * Targets run one after the other, each after its own warm-up.
 */
final class Closed {

    private Closed() {}

    static int run(Map<String, List<String>> args) throws Exception {
        int connections = Main.num(args, "connections", 32);
        int seconds = Main.num(args, "seconds", 10);
        int warmup = Main.num(args, "warmup-seconds", 3);
        JsonObject out = new JsonObject().put("connections", connections).put("seconds", seconds);
        JsonObject targets = new JsonObject();
        // two event loops: the closed loop has no scheduler thread, the answers drive it
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1).setBlockedThreadCheckInterval(60_000));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setIdleTimeout(30),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        try {
            for (String spec : args.getOrDefault("target", List.of())) {
                String[] f = spec.split("\\|", -1);
                if (f.length != 6) {
                    throw new IllegalArgumentException("--target=name|url|hostTemplate|tenants|pathTemplate|paths, not " + spec);
                }
                OpenLoop.Op op = Ops.get(Ops.Target.of(f[1]), f[2], Integer.parseInt(f[3]), f[4], Integer.parseInt(f[5]));
                if (warmup > 0) {
                    loop(client, op, connections, warmup);
                }
                JsonObject result = loop(client, op, connections, seconds);
                System.err.printf("%s closed loop, %d connections: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors%n", f[0], connections,
                        result.getDouble("throughput"), result.getJsonObject("latencyMs").getDouble("p50", -1.0),
                        result.getJsonObject("latencyMs").getDouble("p99", -1.0), result.getLong("errors"));
                targets.put(f[0], result);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Main.write(Main.one(args, "out", null), out.put("targets", targets));
        return 0;
    }

    /** Runs {@code connections} loops for the given seconds; returns what they measured. */
    static JsonObject loop(HttpClient client, OpenLoop.Op op, int connections, int seconds) throws InterruptedException {
        return loop(client, op, connections, seconds, seconds);
    }

    /**
     * The same with the loops' random choices drawn from {@code seed}: a run that must not repeat an earlier run's
     * requests (URLs an edge cache has seen) gives a seed of its own.
     */
    static JsonObject loop(HttpClient client, OpenLoop.Op op, int connections, int seconds, long seed) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Loop> loops = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            Loop loop = new Loop(client, op, end, new SplittableRandom(7919L * i + seed), done);
            loops.add(loop);
            loop.next();
        }
        done.await(seconds + 30L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(60_000_000L, 3);
        long ok = 0;
        long errors = 0;
        java.util.TreeMap<Integer, Long> statuses = new java.util.TreeMap<>();
        for (Loop loop : loops) {
            synchronized (loop) {
                loop.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
                all.add(loop.latency);
                ok += loop.ok;
                errors += loop.errors;
            }
        }
        JsonObject byStatus = new JsonObject();
        statuses.forEach((k, v) -> byStatus.put(k == -1 ? "failed" : Integer.toString(k), v));
        return new JsonObject().put("durationS", OpenLoop.round(elapsed, 2)).put("ok", ok).put("errors", errors).put("status", byStatus)
                .put("throughput", OpenLoop.round(ok / Math.max(1e-9, seconds), 1)).put("latencyMs", OpenLoop.summary(all));
    }

    /** One connection's loop: the next request leaves when the previous answer arrived. */
    static final class Loop {
        final HttpClient client;
        final OpenLoop.Op op;
        final long end;
        final SplittableRandom random;
        final CountDownLatch done;
        final Histogram latency = new Histogram(60_000_000L, 3);
        long ok;
        long errors;
        /** Answers by status (-1: no answer). */
        final java.util.TreeMap<Integer, Long> statuses = new java.util.TreeMap<>();

        Loop(HttpClient client, OpenLoop.Op op, long end, SplittableRandom random, CountDownLatch done) {
            this.client = client;
            this.op = op;
            this.end = end;
            this.random = random;
            this.done = done;
        }

        void next() {
            long sent = System.nanoTime();
            if (sent >= end) {
                done.countDown();
                return;
            }
            op.run(client, random).onComplete(ar -> {
                long micros = Math.max(1, (System.nanoTime() - sent) / 1000);
                synchronized (this) {
                    statuses.merge(ar.succeeded() ? ar.result() : -1, 1L, Long::sum);
                    if (ar.succeeded() && ar.result() >= 200 && ar.result() < 300) {
                        ok++;
                        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                    } else {
                        errors++;
                    }
                }
                next();
            });
        }
    }
}
