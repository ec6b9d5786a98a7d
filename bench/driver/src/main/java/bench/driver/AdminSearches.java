package bench.driver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 5c: one shop's staff run expensive admin searches (of titles and descriptions, which no index
 * serves, over a catalogue of 100,000 products) in a closed loop while quiet shops on the same cell browse
 * and check out at fixed rates. {@code --rounds} (3) rounds of two runs of the same length: the quiet shops alone,
 * then with the searches; each quiet stream's p99 is taken over all rounds' requests together (a checkout p99 of
 * one 20 s run is its second-slowest of 100 orders), each round's own in {@code perRound}.
 * Each search's answer is counted by status, and a 503 whose problem says the query took too long (the
 * report class's statement timeout cut it) separately. A search answered 429 (the shop's database time
 * budget of its listings and searches is spent) waits its Retry-After before that connection's next search,
 * as a client should.
 *
 * <pre>
 * driver searches --gateway=URL --shops=FILE (quiet shops: handle, variants) [--quiet-count=N: the first N] --browse-rate --checkout-rate
 *                 --searcher-host --searcher-token --search-connections --seconds --warmup-seconds [--rounds=N] --out
 * </pre>
 */
final class AdminSearches {

    private AdminSearches() {}

    static int run(Map<String, List<String>> args) throws Exception {
        String gateway = Main.one(args, "gateway", null);
        Ops.Target target = Ops.Target.of(gateway);
        JsonArray list = new JsonObject(Files.readString(Path.of(Main.one(args, "shops", null)))).getJsonArray("list");
        List<String> hosts = new ArrayList<>();
        List<List<String>> variants = new ArrayList<>();
        int quietCount = Main.num(args, "quiet-count", list.size());
        for (int i = 0; i < Math.min(quietCount, list.size()); i++) {
            JsonObject shop = list.getJsonObject(i);
            List<String> ids = new ArrayList<>();
            JsonArray vs = shop.getJsonArray("variants", new JsonArray());
            for (int j = 0; j < vs.size(); j++) {
                ids.add(vs.getJsonObject(j).getString("id"));
            }
            if (!ids.isEmpty()) {
                hosts.add(shop.getString("handle") + ".shops.localhost");
                variants.add(ids);
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no shop with variants in " + Main.one(args, "shops", null));
        }
        double browseRate = Double.parseDouble(Main.one(args, "browse-rate", "100"));
        double checkoutRate = Double.parseDouble(Main.one(args, "checkout-rate", "5"));
        int seconds = Main.num(args, "seconds", 20);
        int warmup = Main.num(args, "warmup-seconds", 5);
        int connections = Main.num(args, "search-connections", 8);
        int rounds = Math.max(1, Main.num(args, "rounds", 3));
        String searcherHost = Main.one(args, "searcher-host", null);
        String token = Main.one(args, "searcher-token", null);

        Ops.CheckoutTally tally = new Ops.CheckoutTally();
        AtomicLong seq = new AtomicLong();
        // browse: a product page of a random quiet shop, past the edge cache (a query string of its own), so the cell serves it
        OpenLoop.Op browse = (client, random) -> {
            int shop = random.nextInt(hosts.size());
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                    .setURI("/api/storefront/products/p-0?v=" + random.nextInt(1_000_000_000)).setTimeout(Ops.TIMEOUT_MS)
                    .putHeader(HttpHeaders.HOST, hosts.get(shop));
            return client.request(options).compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()));
        };
        OpenLoop.Op checkout = (client, random) -> {
            int shop = random.nextInt(hosts.size());
            List<String> ids = variants.get(shop);
            return Ops.order(client, target, hosts.get(shop), ids.get(random.nextInt(ids.size())), 1, tally, seq);
        };
        List<OpenLoop.Stream> quiet = List.of(new OpenLoop.Stream("browse", browseRate, browse),
                new OpenLoop.Stream("checkout", checkoutRate, checkout));
        OpenLoop engine = Main.engine(64);
        JsonObject out = new JsonObject().put("seconds", seconds).put("browseRate", browseRate).put("checkoutRate", checkoutRate)
                .put("quietShops", hosts.size()).put("searchConnections", connections);
        try {
            if (warmup > 0) {
                engine.run(quiet, warmup, 1000, 3);
            }
            List<List<OpenLoop.Recorder>> aloneRuns = new ArrayList<>();
            List<List<OpenLoop.Recorder>> withRuns = new ArrayList<>();
            List<JsonObject> searchRuns = new ArrayList<>();
            JsonArray perRound = new JsonArray();
            Map<String, LongAdder> titles = new ConcurrentHashMap<>();
            Vertx searchVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setBlockedThreadCheckInterval(60_000));
            try {
                HttpClient searchClient = searchVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000)
                        .setIdleTimeout(90), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
                OpenLoop.Op search = search(target, searcherHost, token, titles, searchVertx);
                for (int round = 0; round < rounds; round++) {
                    aloneRuns.add(engine.run(quiet, seconds, 1000, 11 + round));
                    JsonObject[] searches = new JsonObject[1];
                    Thread searching = Thread.ofPlatform().name("admin-searches").start(() -> {
                        try {
                            searches[0] = Closed.loop(searchClient, search, connections, seconds, System.nanoTime());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    withRuns.add(engine.run(quiet, seconds, 1000, 13 + round));
                    searching.join();
                    searchRuns.add(searches[0] == null ? new JsonObject() : searches[0]);
                    JsonObject row = new JsonObject();
                    for (int i = 0; i < quiet.size(); i++) {
                        String name = quiet.get(i).name();
                        row.put(name + "P99AloneMs", OpenLoop.ms(aloneRuns.get(round).get(i).all.getValueAtPercentile(99)))
                                .put(name + "P99WithMs", OpenLoop.ms(withRuns.get(round).get(i).all.getValueAtPercentile(99)));
                    }
                    perRound.add(row.put("searches", searchRuns.get(round)));
                }
            } finally {
                searchVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            out.put("rounds", rounds).put("perRound", perRound);
            out.put("alone", pooled(aloneRuns));
            JsonObject problems = new JsonObject();
            titles.forEach((k, v) -> problems.put(k, v.sum()));
            out.put("with", pooled(withRuns).put("searches", merged(searchRuns).put("problems", problems)));
        } finally {
            engine.vertx().close();
        }
        out.put("orders", new JsonObject().put("placed", tally.placed).put("soldOut", tally.soldOut).put("shed", tally.shed));
        JsonObject s = out.getJsonObject("with").getJsonObject("searches");
        System.err.printf("admin searches: %s; quiet browse p99 alone %s ms, with searches %s ms%n", s.encode(),
                out.getJsonObject("alone").getJsonObject("browse").getJsonObject("latencyMs").getValue("p99"),
                out.getJsonObject("with").getJsonObject("browse").getJsonObject("latencyMs").getValue("p99"));
        Main.write(Main.one(args, "out", null), out);
        return 0;
    }

    /** A Retry-After in seconds, as milliseconds, at most 5 s; 1 s when it is missing or not a number. */
    static long retryAfterMillis(String header) {
        try {
            return Math.min(5_000, Math.max(0, Long.parseLong(header == null ? "1" : header.trim())) * 1000);
        } catch (NumberFormatException e) {
            return 1_000;
        }
    }

    /**
     * The staff search: a text no product title contains, so every search scans the shop's whole catalogue. Its answer
     * is counted by problem title; after a 429 the connection waits its Retry-After (at most 5 s) before its next
     * search, as a well-behaved client does, so that a throttled search is not retried in a tight loop.
     */
    private static OpenLoop.Op search(Ops.Target target, String searcherHost, String token, Map<String, LongAdder> titles,
                                      Vertx searchVertx) {
        return (client, random) -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                    .setURI("/api/admin/products?limit=50&q=zq" + random.nextInt(1_000_000_000)).setTimeout(60_000)
                    .putHeader(HttpHeaders.HOST, searcherHost).putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            return client.request(options).compose(req -> req.send()).compose(resp -> resp.body().map(b -> {
                if (resp.statusCode() >= 400) {
                    JsonObject problem = Ops.parse(b);
                    String title = problem == null ? "(no problem body)" : problem.getString("title", "(no title)");
                    titles.computeIfAbsent(resp.statusCode() + " " + title
                            + (resp.getHeader("Retry-After") != null ? " (Retry-After " + resp.getHeader("Retry-After") + ")" : ""),
                            k -> new LongAdder()).increment();
                }
                return resp.statusCode();
            }).compose(status -> {
                long delay = status == 429 ? retryAfterMillis(resp.getHeader("Retry-After")) : 0;
                if (delay <= 0) {
                    return io.vertx.core.Future.succeededFuture(status);
                }
                io.vertx.core.Promise<Integer> later = io.vertx.core.Promise.promise();
                searchVertx.setTimer(delay, id -> later.complete(status));
                return later.future();
            }));
        };
    }

    /** Each quiet stream's runs of all rounds as one (their requests together: a p99 over all of them). */
    private static JsonObject pooled(List<List<OpenLoop.Recorder>> runs) {
        JsonObject by = new JsonObject();
        for (int i = 0; i < runs.get(0).size(); i++) {
            List<OpenLoop.Recorder> stream = new ArrayList<>();
            for (List<OpenLoop.Recorder> run : runs) {
                stream.add(run.get(i));
            }
            OpenLoop.Recorder all = OpenLoop.Recorder.pooled(stream);
            by.put(all.name, all.toJson());
        }
        return by;
    }

    /** The rounds' searches together: answers by status, their time and throughput; each round's latencies stay in perRound. */
    private static JsonObject merged(List<JsonObject> runs) {
        long ok = 0;
        long errors = 0;
        double seconds = 0;
        JsonObject status = new JsonObject();
        for (JsonObject run : runs) {
            ok += run.getLong("ok", 0L);
            errors += run.getLong("errors", 0L);
            seconds += run.getDouble("durationS", 0.0);
            JsonObject by = run.getJsonObject("status", new JsonObject());
            for (String code : by.fieldNames()) {
                status.put(code, status.getLong(code, 0L) + by.getLong(code));
            }
        }
        return new JsonObject().put("durationS", seconds).put("ok", ok).put("errors", errors).put("status", status)
                .put("throughput", seconds > 0 ? ok / seconds : 0.0).put("connections", runs.isEmpty() ? 0
                        : runs.get(0).getInteger("connections", 0));
    }
}
