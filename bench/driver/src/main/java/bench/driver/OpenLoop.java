package bench.driver;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load at a constant arrival rate. Each stream has its own scheduler thread that computes
 * the intended start time of request n as {@code start + n / rate} and hands the request to the
 * Vert.x event loop at that time, whether or not earlier requests have been answered. Latency is
 * measured from the intended start (not from when the request could actually be sent), so a stall of
 * the server or of the driver counts fully against the percentiles: no coordinated omission. When
 * more than {@code maxOutstanding} requests of a stream are in flight, a new one is not sent and
 * counts as dropped (an error).
 */
final class OpenLoop {

    /** One operation (a request, or a short chain of requests); completes with the final HTTP status, or fails. */
    interface Op {
        Future<Integer> run(HttpClient client, SplittableRandom random);
    }

    /** A stream of operations at a constant rate. */
    record Stream(String name, double rate, Op op) {}

    /** What one stream measured. */
    static final class Recorder {
        final String name;
        final double rate;
        final int seconds;
        final Histogram all = new Histogram(60_000_000L, 3);
        final Histogram ok = new Histogram(60_000_000L, 3);
        final Histogram[] perSecond;
        final long[] okPerSecond;
        final long[] otherPerSecond;
        final Map<Integer, Long> statuses = new TreeMap<>();
        long sent;
        long dropped;
        long failed;
        final AtomicInteger outstanding = new AtomicInteger();
        long startNanos;

        Recorder(String name, double rate, int seconds) {
            this.name = name;
            this.rate = rate;
            this.seconds = seconds;
            this.perSecond = new Histogram[seconds + 30];
            this.okPerSecond = new long[seconds + 30];
            this.otherPerSecond = new long[seconds + 30];
        }

        /** Called on the event loop only. */
        void record(long intendedNanos, long doneNanos, int status) {
            long micros = Math.max(1, (doneNanos - intendedNanos) / 1000);
            int second = (int) Math.min(perSecond.length - 1, Math.max(0, (doneNanos - startNanos) / 1_000_000_000L));
            if (status < 0) {
                failed++;
                otherPerSecond[second]++;
                return;
            }
            statuses.merge(status, 1L, Long::sum);
            all.recordValue(Math.min(micros, all.getHighestTrackableValue()));
            if (perSecond[second] == null) {
                perSecond[second] = new Histogram(60_000_000L, 2);
            }
            perSecond[second].recordValue(Math.min(micros, 60_000_000L));
            if (status >= 200 && status < 300) {
                ok.recordValue(Math.min(micros, ok.getHighestTrackableValue()));
                okPerSecond[second]++;
            } else {
                otherPerSecond[second]++;
            }
        }

        long completed() {
            return all.getTotalCount();
        }

        /**
         * The recorders of several runs of one stream as one: their latencies and counts together, and
         * their seconds one run after the other (a percentile over all of them, from more samples than
         * one run has).
         */
        static Recorder pooled(List<Recorder> runs) {
            Recorder first = runs.get(0);
            int each = first.seconds;
            Recorder pooled = new Recorder(first.name, first.rate, each * runs.size());
            for (int r = 0; r < runs.size(); r++) {
                Recorder run = runs.get(r);
                pooled.all.add(run.all);
                pooled.ok.add(run.ok);
                run.statuses.forEach((status, n) -> pooled.statuses.merge(status, n, Long::sum));
                pooled.sent += run.sent;
                pooled.dropped += run.dropped;
                pooled.failed += run.failed;
                for (int i = 0; i < each; i++) {
                    int at = r * each + i;
                    pooled.okPerSecond[at] = run.okPerSecond[i];
                    pooled.otherPerSecond[at] = run.otherPerSecond[i];
                    pooled.perSecond[at] = run.perSecond[i];
                }
            }
            return pooled;
        }

        long count(int from, int to) {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= from && e.getKey() < to)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Requests that did not end in 2xx, plus transport failures and drops. */
        long errors() {
            return sent + dropped - count(200, 300);
        }

        JsonObject toJson() {
            JsonObject status = new JsonObject();
            statuses.forEach((k, v) -> status.put(Integer.toString(k), v));
            JsonArray perSec = new JsonArray();
            int last = 0;
            for (int i = 0; i < perSecond.length; i++) {
                if (okPerSecond[i] + otherPerSecond[i] > 0) {
                    last = i;
                }
            }
            for (int i = 0; i <= last; i++) {
                perSec.add(new JsonObject().put("t", i).put("ok", okPerSecond[i]).put("other", otherPerSecond[i])
                        .put("p99Ms", perSecond[i] == null ? null : ms(perSecond[i].getValueAtPercentile(99))));
            }
            return new JsonObject()
                    .put("name", name)
                    .put("rate", rate)
                    .put("durationS", seconds)
                    .put("intended", sent + dropped)
                    .put("sent", sent)
                    .put("completed", completed())
                    .put("ok", count(200, 300))
                    .put("dropped", dropped)
                    .put("failed", failed)
                    .put("errors", errors())
                    .put("status", status)
                    .put("achievedRate", round((double) count(200, 300) / seconds, 1))
                    .put("latencyMs", summary(all))
                    .put("okLatencyMs", summary(ok))
                    .put("distribution", distribution(all))
                    .put("perSecond", perSec);
        }
    }

    static JsonObject summary(Histogram h) {
        JsonObject o = new JsonObject().put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return o;
        }
        return o.put("mean", round(h.getMean() / 1000.0, 3))
                .put("p50", ms(h.getValueAtPercentile(50)))
                .put("p90", ms(h.getValueAtPercentile(90)))
                .put("p99", ms(h.getValueAtPercentile(99)))
                .put("p999", ms(h.getValueAtPercentile(99.9)))
                .put("max", ms(h.getMaxValue()));
    }

    /** The percentile distribution (HdrHistogram style), a point per percentile step, for the charts. */
    static JsonArray distribution(Histogram h) {
        JsonArray points = new JsonArray();
        if (h.getTotalCount() == 0) {
            return points;
        }
        double[] pcts = {0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.975, 99.99, 99.995, 99.999, 100};
        for (double p : pcts) {
            if (p < 100 && 1.0 / (1.0 - p / 100.0) > h.getTotalCount() * 2.0) {
                continue; // not enough samples to say anything about this percentile
            }
            points.add(new JsonArray().add(p).add(ms(p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p))));
        }
        return points;
    }

    static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final Context context;

    OpenLoop(Vertx vertx, HttpClient client) {
        this.vertx = vertx;
        this.client = client;
        this.context = vertx.getOrCreateContext();
    }

    /** Runs the streams side by side for the given seconds; returns one recorder per stream. */
    List<Recorder> run(List<Stream> streams, int seconds, int maxOutstanding, long seed) throws InterruptedException {
        return run(streams, seconds, maxOutstanding, seed, 0);
    }

    /**
     * As {@link #run(List, int, int, long)}, but each stream's scheduler hands the requests that are due
     * to the event loop together, at most every {@code tickNanos}: a load whose own latency is not
     * measured (a flood) then costs the driver one hand-over per tick instead of one per request, and
     * still keeps its rate (requests go in small groups, their latency still counted from their
     * intended start). 0 hands every request over on its own.
     */
    List<Recorder> run(List<Stream> streams, int seconds, int maxOutstanding, long seed, long tickNanos) throws InterruptedException {
        return run(streams, seconds, maxOutstanding, seed, tickNanos, () -> true);
    }

    /**
     * As {@link #run(List, int, int, long)}, but the streams stop early, once {@code going} turns false (for example when
     * the work they run beside is over); {@code seconds} is then the longest they run.
     */
    List<Recorder> runWhile(List<Stream> streams, int seconds, int maxOutstanding, long seed, java.util.function.BooleanSupplier going)
            throws InterruptedException {
        return run(streams, seconds, maxOutstanding, seed, 0, going);
    }

    private List<Recorder> run(List<Stream> streams, int seconds, int maxOutstanding, long seed, long tickNanos,
                               java.util.function.BooleanSupplier going) throws InterruptedException {
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime() + 20_000_000L;
        long end = start + seconds * 1_000_000_000L;
        int i = 0;
        for (Stream stream : streams) {
            Recorder rec = new Recorder(stream.name(), stream.rate(), seconds);
            rec.startNanos = start;
            recorders.add(rec);
            SplittableRandom random = new SplittableRandom(seed + 7919L * i++);
            Thread t = Thread.ofPlatform().name("schedule-" + stream.name())
                    .start(() -> schedule(stream, rec, start, end, maxOutstanding, random, tickNanos, going));
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        // wait for the answers still in flight (each has its own timeout)
        long deadline = System.nanoTime() + 35_000_000_000L;
        for (Recorder rec : recorders) {
            while (rec.outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        // read the recorders on the event loop, where they were written
        java.util.concurrent.CompletableFuture<Void> sync = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> sync.complete(null));
        sync.join();
        return recorders;
    }

    /** Hands each request to the event loop when it is due; those due together (a tick, or a late wake-up) go in one hand-over. */
    private void schedule(Stream stream, Recorder rec, long start, long end, int maxOutstanding, SplittableRandom random,
                          long tickNanos, java.util.function.BooleanSupplier going) {
        double intervalNanos = 1e9 / stream.rate();
        long n = 0;
        while (true) {
            long intended = start + (long) (n * intervalNanos);
            if (intended >= end || !going.getAsBoolean()) {
                break;
            }
            long now = System.nanoTime();
            if (intended > now) {
                LockSupport.parkNanos(Math.max(intended - now, tickNanos));
                continue; // re-check: park may return early
            }
            List<Long> due = new ArrayList<>();
            int dropped = 0;
            while (intended <= now && intended < end) {
                n++;
                if (rec.outstanding.get() >= maxOutstanding) {
                    dropped++;
                } else {
                    rec.outstanding.incrementAndGet();
                    due.add(intended);
                }
                intended = start + (long) (n * intervalNanos);
            }
            List<SplittableRandom> randoms = new ArrayList<>(due.size());
            for (int i = 0; i < due.size(); i++) {
                randoms.add(random.split());
            }
            int droppedNow = dropped;
            context.runOnContext(v -> {
                rec.dropped += droppedNow;
                for (int i = 0; i < due.size(); i++) {
                    send(stream, rec, due.get(i), randoms.get(i));
                }
            });
        }
    }

    /** Sends one request of a stream on the event loop and records its answer against its intended start. */
    private void send(Stream stream, Recorder rec, long intended, SplittableRandom r) {
        rec.sent++;
        Future<Integer> f;
        try {
            f = stream.op().run(client, r);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            long done = System.nanoTime();
            rec.outstanding.decrementAndGet();
            rec.record(intended, done, ar.succeeded() ? ar.result() : -1);
        });
    }

    HttpClient client() {
        return client;
    }

    Vertx vertx() {
        return vertx;
    }
}
