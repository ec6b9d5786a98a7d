package bench.driver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark suite's driver (called by bench/run, one sub-command per step):
 *
 * <pre>
 *   ramp      --name --url [--host --tenants] --path [--paths] --rates=R1,R2,.. --step-seconds --limit-ms --out
 *   ramps     --target=name|url|hostTemplate|tenants|pathTemplate|paths (repeatable) --rates --step-seconds
 *             --limit-ms --out-prefix: the same ramp for several targets, their steps interleaved
 *   fixed     --stream=name|rate|url|hostTemplate|tenants|pathTemplate|paths (repeatable)
 *             [--closed=name|url|hostTemplate|tenants|pathTemplate|paths|connections (repeatable)] --seconds
 *             [--warmup-seconds --warmup-streams=NAME,.. --warmup-closed-host=HOST] --out
 *   provision --control --gateway --token --prefix --count --concurrency --plan [--limits=rps,burst]
 *             [--products --stock] --out
 *   checkout  --gateway --shops=FILE --rates=.. --step-seconds --limit-ms --sellout-rate --out
 *   abuse     --gateway --cell --management --pid --shops --quiet-rate --signin-rate --seconds --hosts
 *             --host-rate --out: scenario 8, cheap requests (see {@link Abuse})
 *   searches  --gateway --shops --browse-rate --checkout-rate --searcher-host --searcher-token
 *             --search-connections --seconds --warmup-seconds --out: scenario 5c, admin searches beside
 *             quiet shops (see {@link AdminSearches})
 *   signin-flood --gateway --host --rate --seconds --warmup-seconds --out: scenario 8(a)'s flood, started
 *             by {@code abuse} as a process of its own (see {@link SignInFlood})
 *   flash-sale --control --gateway --token --shops --shoppers --seconds --stock --admit --quiet-rate
 *             --quiet-checkout-rate --warmup-seconds --tail-seconds --out: scenario 10 (see {@link FlashSale})
 *   report    --run=DIR
 *   chaos     the chaos suite (bench/chaos): see {@link bench.driver.chaos.Chaos}
 * </pre>
 *
 * Every sub-command writes one JSON file; {@code report} turns the run directory into results.json,
 * results.md and the PNG charts.
 */
public final class Main {

    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: driver ramp|ramps|fixed|provision|checkout|abuse|report|chaos --option=value ...");
            System.exit(2);
        }
        Map<String, List<String>> args = parse(Arrays.copyOfRange(argv, 1, argv.length));
        int rc = switch (argv[0]) {
            case "ramp" -> ramp(args);
            case "ramps" -> ramps(args);
            case "fixed" -> fixed(args);
            case "provision" -> provision(args);
            case "checkout" -> checkout(args);
            case "report" -> Report.write(Path.of(one(args, "run", null)));
            case "chaos" -> bench.driver.chaos.Chaos.run(args);
            case "abuse" -> Abuse.run(args);
            case "searches" -> AdminSearches.run(args);
            case "signin-flood" -> SignInFlood.run(args);
            case "closed" -> Closed.run(args);
            case "purge" -> Purge.run(args);
            case "trivial" -> Trivial.run(args);
            case "flash-sale" -> FlashSale.run(args);
            case "lifecycle" -> Lifecycle.run(args);
            default -> {
                System.err.println("unknown sub-command " + argv[0]);
                yield 2;
            }
        };
        System.exit(rc);
    }

    static Map<String, List<String>> parse(String[] argv) {
        Map<String, List<String>> out = new HashMap<>();
        for (String a : argv) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("not an option: " + a);
            }
            int eq = a.indexOf('=');
            String k = eq < 0 ? a.substring(2) : a.substring(2, eq);
            String v = eq < 0 ? "true" : a.substring(eq + 1);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    static String one(Map<String, List<String>> args, String key, String dflt) {
        List<String> v = args.get(key);
        if (v == null || v.isEmpty()) {
            if (dflt == null) {
                throw new IllegalArgumentException("missing --" + key);
            }
            return dflt;
        }
        return v.get(v.size() - 1);
    }

    static int num(Map<String, List<String>> args, String key, int dflt) {
        return Integer.parseInt(one(args, key, Integer.toString(dflt)));
    }

    static long longArg(Map<String, List<String>> args, String key, long dflt) {
        return Long.parseLong(one(args, key, Long.toString(dflt)));
    }

    static double[] rates(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /** One Vert.x event loop for the whole driver: the machine has 2 cores, shared with what is measured. */
    static OpenLoop engine(int connections) {
        return engine(connections, null);
    }

    /** An engine whose connections leave from the given local address (another loopback address: another client). */
    static OpenLoop engine(int connections, String localAddress) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setBlockedThreadCheckInterval(60_000));
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setIdleTimeout(30);
        if (localAddress != null) {
            options.setLocalAddress(localAddress);
        }
        HttpClient client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        return new OpenLoop(vertx, client);
    }

    static void write(String file, JsonObject json) throws Exception {
        Path p = Path.of(file);
        if (p.toAbsolutePath().getParent() != null) {
            Files.createDirectories(p.toAbsolutePath().getParent());
        }
        Files.writeString(p, json.encodePrettily());
    }

    /** Steps the rate up; the highest step with p99 under the limit and no error is the sustainable rate. */
    static int ramp(Map<String, List<String>> args) throws Exception {
        String name = one(args, "name", null);
        Ops.Target target = Ops.Target.of(one(args, "url", null));
        OpenLoop.Op op = Ops.get(target, one(args, "host", ""), num(args, "tenants", 1), one(args, "path", null), num(args, "paths", 1));
        return rampOf(name, op, args, null);
    }

    /**
     * Ramps of several targets with their steps interleaved (target A at rate r, B at r, C at r, then
     * the next rate), so that slow drift of the machine affects every target alike. A target leaves
     * the ramp at its first step that fails twice; writes {@code <out-prefix><name>.json} per target.
     */
    static int ramps(Map<String, List<String>> args) throws Exception {
        List<String> names = new ArrayList<>();
        List<OpenLoop.Op> ops = new ArrayList<>();
        for (String spec : args.getOrDefault("target", List.of())) {
            String[] f = spec.split("\\|", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("--target=name|url|hostTemplate|tenants|pathTemplate|paths, not " + spec);
            }
            names.add(f[0]);
            ops.add(Ops.get(Ops.Target.of(f[1]), f[2], Integer.parseInt(f[3]), f[4], Integer.parseInt(f[5])));
        }
        double[] listed = rates(one(args, "rates", null));
        double grow = Double.parseDouble(one(args, "grow", "1"));
        double maxRate = Double.parseDouble(one(args, "max-rate", Double.toString(listed[listed.length - 1])));
        int seconds = num(args, "step-seconds", 5);
        double limitMs = Double.parseDouble(one(args, "limit-ms", "50"));
        int warmup = num(args, "warmup-seconds", 0);
        int tries = 1 + num(args, "retries", 1);
        int maxOutstanding = num(args, "max-outstanding", 1000);
        OpenLoop engine = engine(num(args, "connections", 64));
        double warmupRate = Double.parseDouble(one(args, "warmup-rate", Double.toString(listed[0])));
        int n = names.size();
        // --seed: added to each step's seed, so that a run can avoid the requests (URLs a cache has seen) of an earlier one
        long seed = longArg(args, "seed", 0);
        List<Double> offered = new ArrayList<>();
        JsonArray[] steps = new JsonArray[n];
        double[] sustainable = new double[n];
        JsonObject[] best = new JsonObject[n];
        boolean[] active = new boolean[n];
        for (int t = 0; t < n; t++) {
            steps[t] = new JsonArray();
            active[t] = true;
            if (warmup > 0) {
                engine.run(List.of(new OpenLoop.Stream(names.get(t) + "-warmup", warmupRate, ops.get(t))), warmup, maxOutstanding, 1);
            }
        }
        // the listed rates, then (with --grow above 1) rates growing by that factor until every target failed
        for (int k = 0; ; k++) {
            double rate = k < listed.length ? listed[k] : grown(offered.get(k - 1), grow);
            boolean anyActive = false;
            for (boolean a : active) {
                anyActive |= a;
            }
            if (!anyActive || rate > maxRate || (k >= listed.length && grow <= 1)) {
                break;
            }
            offered.add(rate);
            for (int t = 0; t < n; t++) {
                if (!active[t]) {
                    continue;
                }
                boolean passed = false;
                for (int attempt = 1; attempt <= tries && !passed; attempt++) {
                    OpenLoop.Recorder r = engine.run(List.of(new OpenLoop.Stream(names.get(t), rate, ops.get(t))), seconds,
                            maxOutstanding, seed + (long) rate * 31 + attempt).get(0);
                    JsonObject step = r.toJson();
                    double p99 = step.getJsonObject("latencyMs").getDouble("p99", Double.MAX_VALUE);
                    passed = r.errors() == 0 && p99 < limitMs;
                    step.put("pass", passed).put("attempt", attempt);
                    steps[t].add(step);
                    System.err.printf("%s: %.0f/s (attempt %d): p99 %.2f ms, %d errors, %d dropped -> %s%n", names.get(t), rate,
                            attempt, p99, r.errors(), r.dropped, passed ? "ok" : "over");
                    if (passed) {
                        sustainable[t] = rate;
                        best[t] = step;
                    }
                }
                active[t] = passed;
            }
        }
        for (int t = 0; t < n; t++) {
            write(one(args, "out-prefix", null) + names.get(t) + ".json", new JsonObject().put("name", names.get(t))
                    .put("limitMs", limitMs).put("stepSeconds", seconds).put("interleavedWith", new JsonArray(new ArrayList<>(names)))
                    .put("rates", new JsonArray(new ArrayList<>(offered))).put("maxSustainable", sustainable[t])
                    .put("endedBy", active[t] ? "max-rate" : "failure")
                    .put("bestStep", best[t]).put("steps", steps[t]));
        }
        engine.vertx().close();
        return 0;
    }

    /** The step after {@code rate}: {@code grow} times it, rounded to tens (hundreds from 1,000 on), always above it. */
    static double grown(double rate, double grow) {
        double next = rate * grow;
        double rounded = next >= 1000 ? Math.round(next / 100.0) * 100.0 : Math.round(next / 10.0) * 10.0;
        return Math.max(rounded, Math.floor(rate) + 10);
    }

    static int rampOf(String name, OpenLoop.Op op, Map<String, List<String>> args, JsonObject extra) throws Exception {
        double[] rates = rates(one(args, "rates", null));
        int seconds = num(args, "step-seconds", 5);
        double limitMs = Double.parseDouble(one(args, "limit-ms", "50"));
        int warmup = num(args, "warmup-seconds", 0);
        OpenLoop engine = engine(num(args, "connections", 64));
        int maxOutstanding = num(args, "max-outstanding", 1000);
        if (warmup > 0) {
            double warmupRate = Double.parseDouble(one(args, "warmup-rate", Double.toString(rates[0])));
            engine.run(List.of(new OpenLoop.Stream(name + "-warmup", warmupRate, op)), warmup, maxOutstanding, 1);
        }
        // a step that fails is run once more before the ramp stops: on a shared machine one stall of
        // another process can push a short step's p99 over the limit
        int tries = 1 + num(args, "retries", 1);
        JsonArray steps = new JsonArray();
        double sustainable = 0;
        JsonObject best = null;
        ramp:
        for (double rate : rates) {
            for (int attempt = 1; attempt <= tries; attempt++) {
                OpenLoop.Recorder r = engine.run(List.of(new OpenLoop.Stream(name, rate, op)), seconds, maxOutstanding,
                        (long) rate * 31 + attempt).get(0);
                JsonObject step = r.toJson();
                double p99 = step.getJsonObject("latencyMs").getDouble("p99", Double.MAX_VALUE);
                boolean pass = r.errors() == 0 && p99 < limitMs;
                step.put("pass", pass).put("attempt", attempt);
                steps.add(step);
                System.err.printf("%s: %.0f/s (attempt %d): p99 %.2f ms, %d errors, %d dropped -> %s%n", name, rate, attempt, p99,
                        r.errors(), r.dropped, pass ? "ok" : "over");
                if (pass) {
                    sustainable = rate;
                    best = step;
                    continue ramp;
                }
            }
            break;
        }
        JsonObject out = new JsonObject().put("name", name).put("limitMs", limitMs).put("stepSeconds", seconds)
                .put("rates", new JsonArray(Arrays.stream(rates).boxed().toList())).put("maxSustainable", sustainable)
                .put("bestStep", best).put("steps", steps);
        if (extra != null) {
            out.mergeIn(extra);
        }
        write(one(args, "out", null), out);
        engine.vertx().close();
        return 0;
    }

    /**
     * Streams side by side at fixed rates (open loop), and closed loops beside them ({@code --closed}: a target
     * that sends as much as it can on its own connections). {@code --warmup-streams} names the streams and loops
     * that run during the warm-up (default: all), so that one can start cold at the measurement's start.
     * {@code --warmup-closed-host} runs the closed loops left out of the warm-up against that host instead
     * (one the gateway routes nowhere: cheap 404s that touch no shop), so that the driver's own closed-loop
     * code is compiled before the measurement and its start costs the machine nothing extra.
     */
    static int fixed(Map<String, List<String>> args) throws Exception {
        List<OpenLoop.Stream> streams = new ArrayList<>();
        for (String spec : args.getOrDefault("stream", List.of())) {
            String[] f = spec.split("\\|", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException("--stream=name|rate|url|hostTemplate|tenants|pathTemplate|paths, not " + spec);
            }
            streams.add(new OpenLoop.Stream(f[0], Double.parseDouble(f[1]),
                    Ops.get(Ops.Target.of(f[2]), f[3], Integer.parseInt(f[4]), f[5], Integer.parseInt(f[6]))));
        }
        List<ClosedTarget> closed = new ArrayList<>();
        List<ClosedTarget> standIns = new ArrayList<>();
        String warmupHost = one(args, "warmup-closed-host", "");
        for (String spec : args.getOrDefault("closed", List.of())) {
            String[] f = spec.split("\\|", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException("--closed=name|url|hostTemplate|tenants|pathTemplate|paths|connections, not " + spec);
            }
            closed.add(new ClosedTarget(f[0], Ops.get(Ops.Target.of(f[1]), f[2], Integer.parseInt(f[3]), f[4], Integer.parseInt(f[5])),
                    Integer.parseInt(f[6])));
            if (!warmupHost.isEmpty()) {
                standIns.add(new ClosedTarget(f[0], Ops.get(Ops.Target.of(f[1]), warmupHost, 1, f[4], Integer.parseInt(f[5])),
                        Integer.parseInt(f[6])));
            }
        }
        String warmupNames = one(args, "warmup-streams", "");
        java.util.function.Predicate<String> warms = name -> warmupNames.isEmpty() || List.of(warmupNames.split(",")).contains(name);
        int seconds = num(args, "seconds", 10);
        OpenLoop engine = engine(num(args, "connections", 64));
        int warmup = num(args, "warmup-seconds", 0);
        if (warmup > 0) {
            List<ClosedTarget> warming = new ArrayList<>(closed.stream().filter(c -> warms.test(c.name())).toList());
            warming.addAll(standIns.stream().filter(c -> !warms.test(c.name())).toList());
            List<Thread> loops = startClosed(warming, warmup, null);
            engine.run(streams.stream().filter(st -> warms.test(st.name())).toList(), warmup, num(args, "max-outstanding", 1000),
                    longArg(args, "seed", 11) - 8);
            for (Thread t : loops) {
                t.join();
            }
        }
        JsonObject closedResults = new JsonObject();
        List<Thread> loops = startClosed(closed, seconds, closedResults);
        // --seed: the random choices (tenants, paths) of the measurement; the warm-up draws from another seed
        List<OpenLoop.Recorder> recs = engine.run(streams, seconds, num(args, "max-outstanding", 1000), longArg(args, "seed", 11));
        for (Thread t : loops) {
            t.join();
        }
        JsonObject out = new JsonObject().put("seconds", seconds);
        JsonObject by = new JsonObject();
        for (OpenLoop.Recorder r : recs) {
            by.put(r.name, r.toJson());
            System.err.printf("%s: %.0f/s for %d s: %s%n", r.name, r.rate, seconds, r.toJson().getJsonObject("latencyMs").encode());
        }
        out.put("streams", by);
        if (!closed.isEmpty()) {
            out.put("closed", closedResults);
        }
        write(one(args, "out", null), out);
        engine.vertx().close();
        return 0;
    }

    /** A closed-loop target of {@link #fixed}. */
    record ClosedTarget(String name, OpenLoop.Op op, int connections) {}

    /**
     * Starts each closed loop on its own client and connections for the given seconds; each puts what it measured
     * into {@code results} (when not null) under its name.
     */
    static List<Thread> startClosed(List<ClosedTarget> targets, int seconds, JsonObject results) {
        List<Thread> threads = new ArrayList<>();
        for (ClosedTarget target : targets) {
            threads.add(Thread.ofPlatform().name("closed-" + target.name()).start(() -> {
                io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
                        .setWorkerPoolSize(1).setBlockedThreadCheckInterval(60_000));
                try {
                    io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                                    .setKeepAlive(true).setConnectTimeout(5_000).setIdleTimeout(30),
                            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(target.connections()).setMaxWaitQueueSize(-1));
                    JsonObject result = Closed.loop(client, target.op(), target.connections(), seconds, System.nanoTime());
                    System.err.printf("%s closed loop, %d connections: %.0f req/s, %d not 2xx%n", target.name(), target.connections(),
                            result.getDouble("throughput"), result.getLong("errors"));
                    if (results != null) {
                        synchronized (results) {
                            results.put(target.name(), result.put("connections", target.connections()));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    vertx.close();
                }
            }));
        }
        return threads;
    }

    /** Creates shops, timing each from the create call to its first 200 through the gateway; optionally fills them. */
    static int provision(Map<String, List<String>> args) throws Exception {
        Setup setup = new Setup(one(args, "control", null), one(args, "gateway", null), one(args, "token", null));
        int count = num(args, "count", 10);
        long t0 = System.nanoTime();
        List<Setup.Shop> shops = setup.provisionAll(one(args, "prefix", null), count, num(args, "concurrency", 4), one(args, "plan", "basic"));
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        JsonObject out = Setup.latencies(shops).put("shops", count).put("concurrency", num(args, "concurrency", 4))
                .put("elapsedMs", elapsedMs);
        JsonArray list = new JsonArray();
        String limits = one(args, "limits", "");
        int products = num(args, "products", 0);
        for (Setup.Shop s : shops) {
            JsonObject o = Setup.toJson(s);
            if (!limits.isEmpty()) {
                String[] l = limits.split(",");
                setup.setLimits(s, Integer.parseInt(l[0]), Integer.parseInt(l[1]));
            }
            if (products > 0) {
                String token = setup.adminToken(s);
                o.put("adminToken", token).put("variants", setup.fill(s, token, products, num(args, "stock", 1000)));
            }
            list.add(o);
        }
        out.put("list", list);
        Map<String, Integer> byCell = new java.util.TreeMap<>();
        shops.forEach(s -> byCell.merge(s.cell(), 1, Integer::sum));
        out.put("byCell", new JsonObject(new HashMap<>(byCell)));
        System.err.printf("provisioned %d shops in %d ms: %s%n", count, elapsedMs, out.getJsonObject("createToFirst200Ms").encode());
        write(one(args, "out", null), out);
        return 0;
    }

    /**
     * Orders per second through the gateway with a ramp of order rates, then a sell-out: more orders of
     * one unit than a variant has in stock. Afterwards the stock of every variant is read back from
     * the database: initial minus final must equal what the placed orders took, and the sold-out
     * variant must end at zero with exactly its stock sold. Exit 1 if not.
     */
    static int checkout(Map<String, List<String>> args) throws Exception {
        JsonObject shopsFile = new JsonObject(Files.readString(Path.of(one(args, "shops", null))));
        JsonObject shopJson = shopsFile.getJsonArray("list").getJsonObject(0);
        Setup.Shop shop = Setup.fromJson(shopJson);
        Setup setup = new Setup(one(args, "control", null), one(args, "gateway", null), one(args, "token", null));
        String adminToken = shopJson.getString("adminToken");
        JsonArray variants = shopJson.getJsonArray("variants");
        // the last variant is the sell-out one; the others take the ramp
        List<String> rampVariants = new ArrayList<>();
        for (int i = 0; i < variants.size() - 1; i++) {
            rampVariants.add(variants.getJsonObject(i).getString("id"));
        }
        JsonObject sellout = variants.getJsonObject(variants.size() - 1);
        Ops.Target gw = Ops.Target.of(one(args, "gateway", null));
        Ops.CheckoutTally tally = new Ops.CheckoutTally();
        AtomicLong seq = new AtomicLong();
        OpenLoop.Op op = Ops.checkout(gw, shop.host(), rampVariants, tally, seq);
        Path out = Path.of(one(args, "out", null));
        Map<String, List<String>> rampArgs = new HashMap<>(args);
        rampArgs.put("out", List.of(out + ".ramp"));
        rampOf("checkout", op, rampArgs, null);
        JsonObject result = new JsonObject(Files.readString(Path.of(out + ".ramp")));
        Files.delete(Path.of(out + ".ramp"));

        // sell-out: 2x the stock in orders of quantity 1 (the op picks 1-3; use a dedicated op with quantity 1)
        int stock = sellout.getInteger("stock");
        Ops.CheckoutTally soldTally = new Ops.CheckoutTally();
        OpenLoop.Op one = (client, random) -> Ops.checkoutOne(client, gw, shop.host(), sellout.getString("id"), soldTally, seq);
        double selloutRate = Double.parseDouble(one(args, "sellout-rate", "50"));
        int selloutSeconds = (int) Math.ceil(2.0 * stock / selloutRate);
        OpenLoop engine = engine(64);
        OpenLoop.Recorder sold = engine.run(List.of(new OpenLoop.Stream("sellout", selloutRate, one)), selloutSeconds, 1000, 5).get(0);
        engine.vertx().close();

        // read the stock back from the database and check it
        List<String> problems = new ArrayList<>();
        JsonArray checks = new JsonArray();
        for (int i = 0; i < variants.size(); i++) {
            JsonObject v = variants.getJsonObject(i);
            int initial = v.getInteger("stock");
            int available = setup.stock(shop, adminToken, v.getString("product")).get(v.getString("id"));
            long taken = (i == variants.size() - 1 ? soldTally : tally).quantityByVariant.getOrDefault(v.getString("id"), 0L);
            boolean ok = available >= 0 && initial - available == taken;
            checks.add(new JsonObject().put("variant", v.getString("id")).put("initial", initial).put("available", available)
                    .put("takenByPlacedOrders", taken).put("consistent", ok));
            if (!ok) {
                problems.add("variant " + v.getString("id") + ": initial " + initial + " - available " + available
                        + " != " + taken + " taken by the orders answered 201");
            }
        }
        // stock only falls during the sell-out, so a "sold out" (409) means every unit was sold by the end; with twice
        // the stock in attempts, all answered and none shed, every unit must be sold too. Shed attempts (503 with
        // Retry-After) bought nothing, so under shedding some stock may rightly be left.
        long failedRequests = sold.failed + sold.dropped;
        if (soldTally.quantityPlaced > stock) {
            problems.add("sell-out: " + soldTally.quantityPlaced + " units sold of a stock of " + stock + " (oversold)");
        } else if (soldTally.soldOut > 0 && soldTally.quantityPlaced != stock) {
            problems.add("sell-out: " + soldTally.soldOut + " answers sold out (409), but only " + soldTally.quantityPlaced
                    + " units of " + stock + " sold");
        } else if (failedRequests == 0 && soldTally.shed == 0 && soldTally.quantityPlaced != stock) {
            problems.add("sell-out: " + soldTally.quantityPlaced + " units sold of a stock of " + stock + " by " + sold.sent
                    + " attempts, all answered");
        }
        // a 503 with Retry-After is the platform shedding an overload (admission, bulkheads): nothing placed, a
        // correct answer; any other 5xx is a failure
        if (sold.count(500, 600) - soldTally.shed > 0) {
            problems.add("sell-out: " + (sold.count(500, 600) - soldTally.shed) + " answers 5xx other than 503 with Retry-After");
        }
        result.put("sellout", new JsonObject().put("stock", stock).put("rate", selloutRate).put("attempts", sold.sent + sold.dropped)
                .put("placed", soldTally.placed).put("soldOut409", soldTally.soldOut).put("shed503", soldTally.shed).put("run", sold.toJson()));
        result.put("orders", new JsonObject().put("placed", tally.placed).put("soldOut409", tally.soldOut).put("shed503", tally.shed)
                .put("units", tally.quantityPlaced));
        result.put("stockChecks", checks).put("consistent", problems.isEmpty()).put("problems", new JsonArray(problems));
        write(out.toString(), result);
        problems.forEach(p -> System.err.println("INCONSISTENT: " + p));
        System.err.printf("checkout: max sustainable %.0f orders/s; sell-out %d placed, %d sold out, %d shed (503) of stock %d; consistent=%s%n",
                result.getDouble("maxSustainable"), soldTally.placed, soldTally.soldOut, soldTally.shed, stock, problems.isEmpty());
        return problems.isEmpty() ? 0 : 1;
    }
}
