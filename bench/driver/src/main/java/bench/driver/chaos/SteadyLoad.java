package bench.driver.chaos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;

/**
 * Steady mixed shopper load through the gateway, open loop, for as long as the suite runs: browse
 * (a product by handle) and orders (cart, line, checkout with an Idempotency-Key) on every shop at
 * constant rates. Each operation is recorded as a {@link Sample} with its intended start, so a
 * scenario asks afterwards what happened in its time window (latency from the intended start: a
 * stall counts in full, no coordinated omission).
 */
final class SteadyLoad implements AutoCloseable {

    static final long TIMEOUT_MS = 10_000;

    /** One operation: kind browse or order; status -1 is a transport failure or timeout, -2 a drop. */
    record Sample(String kind, ChaosShop shop, long intendedNanos, long doneNanos, int status, boolean retryAfter, String orderId) {
        double ms() {
            return (doneNanos - intendedNanos) / 1e6;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
            .setBlockedThreadCheckInterval(60_000));
    private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000)
            .setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(48).setMaxWaitQueueSize(-1));
    private final String host;
    private final int port;
    private final List<ChaosShop> shops;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Intended start (times two, plus the stream) of each operation in flight. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Boolean> inFlight = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicLong orderSeq = new AtomicLong();
    private final List<Thread> schedulers = new ArrayList<>();
    private volatile boolean running = true;

    SteadyLoad(String gateway, List<ChaosShop> shops) {
        URI u = URI.create(gateway);
        this.host = u.getHost();
        this.port = u.getPort();
        this.shops = shops;
    }

    void start(double browseRate, double orderRate) {
        long start = System.nanoTime();
        schedulers.add(Thread.ofPlatform().name("load-browse").start(() -> schedule(browseRate, start, this::browse, 1)));
        schedulers.add(Thread.ofPlatform().name("load-order").start(() -> schedule(orderRate, start, this::order, 2)));
    }

    interface Op {
        Future<Sample> run(SplittableRandom random, long intended);
    }

    private void schedule(double rate, long start, Op op, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double interval = 1e9 / rate;
        long n = 0;
        while (running) {
            long intended = start + (long) (n * interval);
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                continue;
            }
            n++;
            SplittableRandom r = random.split();
            if (outstanding.get() >= 500) {
                samples.add(new Sample("drop", shops.get(r.nextInt(shops.size())), intended, System.nanoTime(), -2, false, null));
                continue;
            }
            outstanding.incrementAndGet();
            long key = intended * 2 + (seed & 1);
            inFlight.put(key, Boolean.TRUE);
            vertx.runOnContext(v -> {
                Future<Sample> f;
                try {
                    f = op.run(r, intended);
                } catch (RuntimeException e) {
                    f = Future.failedFuture(e);
                }
                f.onComplete(ar -> {
                    outstanding.decrementAndGet();
                    inFlight.remove(key);
                    samples.add(ar.succeeded() ? ar.result() : new Sample("?", shops.get(0), intended, System.nanoTime(), -1, false, null));
                });
            });
        }
    }

    private Future<Sample> browse(SplittableRandom r, long intended) {
        ChaosShop shop = shops.get(r.nextInt(shops.size()));
        String path = "/api/storefront/products/p-" + r.nextInt(shop.products());
        return call(shop, HttpMethod.GET, path, null, null)
                .map(a -> new Sample("browse", shop, intended, System.nanoTime(), a.status, a.retryAfter, null))
                .otherwise(e -> new Sample("browse", shop, intended, System.nanoTime(), -1, false, null));
    }

    private Future<Sample> order(SplittableRandom r, long intended) {
        ChaosShop shop = shops.get(r.nextInt(shops.size()));
        String variant = shop.variants().get(r.nextInt(shop.variants().size()));
        return call(shop, HttpMethod.POST, "/api/storefront/carts", null, null).compose(cart -> {
            if (cart.status != 201 || cart.body == null) {
                return Future.succeededFuture(cart);
            }
            String cartId = cart.body.getString("id");
            return call(shop, HttpMethod.POST, "/api/storefront/carts/" + cartId + "/lines",
                    new JsonObject().put("variantId", variant).put("quantity", 1), null).compose(line -> {
                        if (line.status != 200) {
                            return Future.succeededFuture(line);
                        }
                        JsonObject body = new JsonObject().put("cartId", cartId).put("email", "chaos-" + orderSeq.incrementAndGet() + "@chaos.example");
                        return call(shop, HttpMethod.POST, "/api/storefront/checkouts", body, "chaos-" + UUID.randomUUID());
                    });
        }).map(a -> new Sample("order", shop, intended, System.nanoTime(), a.status, a.retryAfter,
                        a.status == 201 && a.body != null ? a.body.getString("id") : null))
                .otherwise(e -> new Sample("order", shop, intended, System.nanoTime(), -1, false, null));
    }

    record Answer(int status, boolean retryAfter, JsonObject body) {}

    private Future<Answer> call(ChaosShop shop, HttpMethod method, String path, JsonObject body, String idempotencyKey) {
        RequestOptions o = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
                .setTimeout(TIMEOUT_MS).putHeader(HttpHeaders.HOST, shop.shop().host());
        if (body != null) {
            o.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        if (idempotencyKey != null) {
            o.putHeader("Idempotency-Key", idempotencyKey);
        }
        return client.request(o).compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("Retry-After") != null, json(b))));
    }

    private static JsonObject json(Buffer b) {
        try {
            return b != null && b.length() > 0 && b.getByte(0) == '{' ? b.toJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The samples whose intended start lies in [from, to) and that match. */
    List<Sample> window(long fromNanos, long toNanos, Predicate<Sample> filter) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.intendedNanos >= fromNanos && s.intendedNanos < toNanos && filter.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Waits until every operation due before {@code nanos} has been answered (or has timed out). */
    void settle(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + (TIMEOUT_MS * 3 + 5_000) * 1_000_000L;
        while (System.nanoTime() < deadline) {
            Long oldest = inFlight.isEmpty() ? null : inFlight.firstKey();
            if (oldest == null || oldest / 2 >= nanos) {
                return;
            }
            Thread.sleep(20); // polling interval
        }
    }

    /** Count, answers by status and latency percentiles of some samples. */
    static JsonObject stats(List<Sample> list) {
        Histogram h = new Histogram(120_000_000L, 3);
        TreeMap<Integer, Long> statuses = new TreeMap<>();
        long ok = 0;
        for (Sample s : list) {
            h.recordValue(Math.max(1, Math.min((long) (s.ms() * 1000), 120_000_000L)));
            statuses.merge(s.status, 1L, Long::sum);
            if (s.ok()) {
                ok++;
            }
        }
        JsonObject st = new JsonObject();
        statuses.forEach((k, v) -> st.put(k == -1 ? "failed" : k == -2 ? "dropped" : Integer.toString(k), v));
        JsonObject o = new JsonObject().put("count", list.size()).put("ok", ok).put("errors", list.size() - ok).put("status", st);
        if (!list.isEmpty()) {
            o.put("p50Ms", round(h.getValueAtPercentile(50) / 1000.0)).put("p99Ms", round(h.getValueAtPercentile(99) / 1000.0))
                    .put("maxMs", round(h.getMaxValue() / 1000.0));
        }
        return o;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Every sample so far. */
    List<Sample> all() {
        return new ArrayList<>(samples);
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : schedulers) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        vertx.close();
    }
}
