package bench.driver;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Scenario 9, purge: how long an admin's price change takes to be visible through the gateway, and
 * whether any answer after that shows the old price again. A merchant changes a variant's price
 * {@code changes} times through the gateway's admin API; after each change returns, the driver reads
 * the product through the gateway until the new price shows (the lag), while {@code readers} other
 * clients read it all along (so the edge cache is hot, as in a sale). Once the new price has shown,
 * the next change waits {@code hold-ms}, so that the readers' answers after visibility are many.
 * Afterwards every reader answer is checked: an answer to a request that started after some answer
 * (the probe's or a reader's) already showed the new price, and ended before the next change was
 * made, must show the new price too.
 *
 * <pre>
 * driver purge --gateway=URL --shops=FILE --changes=N --readers=R --reader-interval-ms=MS --hold-ms=MS --out=FILE
 * </pre>
 * The shop is the first of {@code --shops} (from {@code driver provision --products=...}).
 */
final class Purge {

    private Purge() {}

    static final Pattern PRICE = Pattern.compile("\"priceMinor\"\\s*:\\s*(\\d+)");

    /** One answer a reader got: when its request started and ended, the price it showed, its X-Cache. */
    record Seen(long startNanos, long endNanos, long price, String cache) {}

    static int run(Map<String, List<String>> args) throws Exception {
        String gateway = Main.one(args, "gateway", null);
        JsonObject shop = new JsonObject(Files.readString(Path.of(Main.one(args, "shops", null)))).getJsonArray("list").getJsonObject(0);
        String host = shop.getString("handle") + "." + Setup.DOMAIN;
        String token = shop.getString("adminToken");
        JsonObject variant = shop.getJsonArray("variants").getJsonObject(0);
        String path = "/api/storefront/products/p-0";
        int changes = Main.num(args, "changes", 100);
        int readers = Main.num(args, "readers", 4);
        long readerIntervalMs = Main.num(args, "reader-interval-ms", 5);
        long holdMs = Main.num(args, "hold-ms", 300);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                while (running.get()) {
                    try {
                        seen.add(read(http, gateway, host, path));
                        Thread.sleep(readerIntervalMs); // the readers' pace: background load, not a measurement
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        seen.add(new Seen(System.nanoTime(), System.nanoTime(), -1, "error"));
                    }
                }
            }));
        }
        Histogram lag = new Histogram(60_000_000L, 3);
        long[] changedAt = new long[changes + 1];
        long[] prices = new long[changes + 1];
        long[] probeShown = new long[changes + 2];
        java.util.Arrays.fill(probeShown, Long.MAX_VALUE);
        long timeouts = 0;
        try {
            for (int i = 1; i <= changes; i++) {
                long price = 500_000 + i;
                prices[i] = price;
                changedAt[i] = System.nanoTime();
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/admin/variants/" + variant.getString("id")))
                        .header("Host", host).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString("{\"priceMinor\":" + price + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (put.statusCode() != 200) {
                    throw new IllegalStateException("price change " + i + ": HTTP " + put.statusCode() + " " + put.body());
                }
                long returned = System.nanoTime();
                long deadline = returned + 10_000_000_000L;
                boolean visible = false;
                while (System.nanoTime() < deadline) {
                    Seen s = read(http, gateway, host, path);
                    if (s.price() == price) {
                        lag.recordValue(Math.max(1, (s.endNanos() - returned) / 1000));
                        probeShown[i] = s.endNanos();
                        visible = true;
                        break;
                    }
                    Thread.sleep(2); // the probe's polling interval
                }
                if (!visible) {
                    timeouts++;
                    lag.recordValue(10_000_000L);
                }
                Thread.sleep(holdMs); // the readers keep reading the new price meanwhile: what is checked below
            }
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(35_000);
            }
        }
        // every reader answer: after an answer showed change i's price, none before change i+1 may show another
        List<Seen> answers = new ArrayList<>(seen);
        long[] firstNewEnd = probeShown.clone();
        for (Seen s : answers) {
            for (int i = 1; i <= changes; i++) {
                if (s.price() == prices[i] && s.startNanos() >= changedAt[i]) {
                    firstNewEnd[i] = Math.min(firstNewEnd[i], s.endNanos());
                }
            }
        }
        long stale = 0;
        long checked = 0;
        Map<String, Long> caches = new TreeMap<>();
        for (Seen s : answers) {
            caches.merge(s.cache(), 1L, Long::sum);
            for (int i = 1; i <= changes; i++) {
                long nextChange = i < changes ? changedAt[i + 1] : Long.MAX_VALUE;
                if (s.startNanos() > firstNewEnd[i] && s.endNanos() < nextChange && s.price() >= 0) {
                    checked++;
                    if (s.price() != prices[i]) {
                        stale++;
                    }
                }
            }
        }
        JsonObject out = new JsonObject().put("changes", changes).put("readers", readers).put("readerAnswers", answers.size())
                .put("holdMs", holdMs).put("checkedAfterVisible", checked).put("oldPriceAfterVisible", stale).put("notVisibleWithin10s", timeouts)
                .put("lagMs", OpenLoop.summary(lag)).put("lagDistribution", OpenLoop.distribution(lag))
                .put("xCache", new JsonObject(new java.util.HashMap<>(caches)));
        System.err.printf("purge: %d changes, visible after p50 %.1f ms, p99 %.1f ms; %d of %d answers after visibility showed an old price%n",
                changes, lag.getValueAtPercentile(50) / 1000.0, lag.getValueAtPercentile(99) / 1000.0, stale, checked);
        Main.write(Main.one(args, "out", null), out);
        return 0;
    }

    static Seen read(HttpClient http, String gateway, String host, String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).header("Host", host)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        long end = System.nanoTime();
        Matcher m = PRICE.matcher(r.body());
        long price = r.statusCode() == 200 && m.find() ? Long.parseLong(m.group(1)) : -1;
        return new Seen(start, end, price, r.headers().firstValue("X-Cache").orElse("none") + "/" + r.statusCode());
    }
}
