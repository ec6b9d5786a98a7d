package bench.driver;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 8, cheap requests that must stay cheap: (a) a flood of sign-in attempts with unknown
 * emails against one shop, through the gateway, while the other shops of its cell are read at a
 * steady rate: their p99 against the same reads without the flood (ratio), and what the flood got
 * back (429 with {@code Retry-After}), over {@code --rounds} rounds (3) of reads alone then reads
 * beside a flood of {@code --seconds} each, the p99s taken over all rounds' reads together (a p99 of
 * one 20 s window at 50 req/s is its 10th slowest read: a handful of reads decide it), with each
 * round's own p99s reported too. The flood comes from a process of its own, warmed up before
 * ({@link SignInFlood}), so that the platform sees it start at full rate and the measuring process
 * spends nothing on it; (b) a stream of invented {@code Host} values sent straight to
 * the cell while its real shops are read: the real shops' host-lookup hit ratio during the flood
 * against before it (from the cell's {@code tenancy_host_lookups_total}), and the cell's heap after
 * a full GC against its level before the flood.
 *
 * <pre>
 *   abuse --gateway=URL --cell=URL --management=URL --pid=PID --shops=FILE --quiet-rate=R
 *         --signin-rate=R --seconds=S [--rounds=N] --hosts=N --host-rate=R --warmup-seconds=W [--flood-to=URL] --out=FILE
 * </pre>
 * {@code --flood-to} sends the flood elsewhere than the gateway (a control: the same flood at a node
 * that answers it without the platform's defences, e.g. another cell's port, which answers 404),
 * to tell what the box's sharing costs the quiet shops from what the defences do.
 * The shops file is a {@code provision} result: every shop but the last is read ("quiet"); the last
 * one is the target of the sign-in flood.
 */
final class Abuse {

    private Abuse() {}

    static int run(Map<String, List<String>> args) throws Exception {
        Ops.Target gateway = Ops.Target.of(Main.one(args, "gateway", null));
        Ops.Target cell = Ops.Target.of(Main.one(args, "cell", null));
        String management = Main.one(args, "management", null);
        long pid = Long.parseLong(Main.one(args, "pid", null));
        JsonArray shops = new JsonObject(Files.readString(Path.of(Main.one(args, "shops", null)))).getJsonArray("list");
        if (shops == null || shops.size() < 2) {
            throw new IllegalArgumentException("the shops file needs at least two shops (quiet ones and the target)");
        }
        List<String> quietHosts = shops.stream().limit(shops.size() - 1)
                .map(o -> ((JsonObject) o).getString("handle") + ".shops.localhost").toList();
        String target = shops.getJsonObject(shops.size() - 1).getString("handle") + ".shops.localhost";
        double quietRate = Double.parseDouble(Main.one(args, "quiet-rate", "50"));
        double signinRate = Double.parseDouble(Main.one(args, "signin-rate", "1000"));
        int seconds = Main.num(args, "seconds", 20);
        int warmup = Main.num(args, "warmup-seconds", 3);
        int rounds = Math.max(1, Main.num(args, "rounds", 3));
        int hosts = Main.num(args, "hosts", 100_000);
        double hostRate = Double.parseDouble(Main.one(args, "host-rate", "2500"));
        int hostSeconds = (int) Math.max(1, Math.ceil(hosts / hostRate));

        OpenLoop engine = Main.engine(Main.num(args, "connections", 256));
        JsonObject out = new JsonObject().put("quietShops", quietHosts.size()).put("quietRate", quietRate)
                .put("signinRate", signinRate).put("seconds", seconds).put("rounds", rounds).put("hostCount", hosts).put("hostRate", hostRate)
                .put("hostSeconds", hostSeconds);

        // (a) sign-in flood through the gateway, sent by a process of its own, warmed up beforehand
        OpenLoop.Stream quietViaGateway = new OpenLoop.Stream("quiet", quietRate, read(gateway, quietHosts));
        Path floodOut = Files.createTempFile("signin-flood", ".json");
        Process flooder = flooder(Main.one(args, "flood-to", Main.one(args, "gateway", null)), target, signinRate, seconds, rounds,
                Math.max(5, warmup), floodOut);
        BufferedReader flooderSays = new BufferedReader(new InputStreamReader(flooder.getInputStream(), StandardCharsets.UTF_8));
        expect(flooderSays, "ready", flooder);
        engine.run(List.of(quietViaGateway), warmup, 1000, 3);
        List<OpenLoop.Recorder> aloneRuns = new ArrayList<>();
        List<OpenLoop.Recorder> floodRuns = new ArrayList<>();
        JsonArray perRound = new JsonArray();
        for (int round = 0; round < rounds; round++) {
            aloneRuns.add(engine.run(List.of(quietViaGateway), seconds, 1000, 11 + round).get(0));
            flooder.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            flooder.getOutputStream().flush();
            floodRuns.add(engine.run(List.of(quietViaGateway), seconds, 1000, 11 + round).get(0));
            expect(flooderSays, "done", flooder);
            perRound.add(new JsonObject().put("quietP99AloneMs", OpenLoop.ms(aloneRuns.get(round).all.getValueAtPercentile(99)))
                    .put("quietP99WithFloodMs", OpenLoop.ms(floodRuns.get(round).all.getValueAtPercentile(99))));
        }
        JsonObject alone = OpenLoop.Recorder.pooled(aloneRuns).toJson();
        JsonObject withFlood = OpenLoop.Recorder.pooled(floodRuns).toJson();
        if (!flooder.waitFor(30, TimeUnit.SECONDS) || flooder.exitValue() != 0) {
            throw new IllegalStateException("the flooding process failed");
        }
        JsonObject floodResult = new JsonObject(Files.readString(floodOut));
        Files.deleteIfExists(floodOut);
        FloodTally tally = new FloodTally();
        tally.refused.set(floodResult.getLong("answers429"));
        tally.refusedWithRetryAfter.set(floodResult.getLong("answers429WithRetryAfter"));
        tally.other.set(floodResult.getLong("answersOther"));
        double aloneP99 = alone.getJsonObject("latencyMs").getDouble("p99");
        double floodP99 = withFlood.getJsonObject("latencyMs").getDouble("p99");
        long floodAnswers = tally.refused.get() + tally.other.get();
        out.put("signin", new JsonObject().put("target", target).put("quietAlone", alone).put("quietWithFlood", withFlood)
                .put("flood", floodResult).put("rounds", perRound)
                .put("quietP99AloneMs", aloneP99).put("quietP99WithFloodMs", floodP99)
                .put("quietP99Ratio", aloneP99 > 0 ? floodP99 / aloneP99 : 0.0)
                .put("floodShare429", floodAnswers > 0 ? (double) tally.refused.get() / floodAnswers : 0.0)
                .put("floodShare429WithRetryAfter", tally.refused.get() > 0
                        ? (double) tally.refusedWithRetryAfter.get() / tally.refused.get() : 0.0));
        System.err.printf("sign-in flood: quiet p99 %.1f ms alone, %.1f ms with the flood; flood answers %s%n",
                aloneP99, floodP99, floodResult.getJsonObject("status").encode());

        // (b) invented hosts straight to the cell
        OpenLoop.Stream quietDirect = new OpenLoop.Stream("quiet", quietRate, read(cell, quietHosts));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        engine.run(List.of(quietDirect), warmup, 1000, 3);
        double heapBefore = heapAfterGc(http, management, pid);
        JsonObject c0 = lookups(http, management);
        // the window before lasts as long as the one during the invented hosts: as many cache expiries in each
        JsonObject directAlone = engine.run(List.of(quietDirect), hostSeconds, 1000, 11).get(0).toJson();
        JsonObject c1 = lookups(http, management);
        AtomicLong invented = new AtomicLong();
        OpenLoop.Stream junk = new OpenLoop.Stream("invented-hosts", hostRate, inventedHost(cell, invented));
        List<OpenLoop.Recorder> duringHosts = engine.run(List.of(quietDirect, junk), hostSeconds, 5000, 11);
        JsonObject c2 = lookups(http, management);
        double heapAfter = heapAfterGc(http, management, pid);
        double ratioBefore = hitRatio(c0, c1);
        double ratioDuring = hitRatio(c1, c2);
        out.put("hosts", new JsonObject().put("quietAlone", directAlone).put("quietWithInventedHosts", duringHosts.get(0).toJson())
                .put("inventedHosts", duringHosts.get(1).toJson()).put("inventedHostsSent", invented.get())
                .put("lookupsBefore", delta(c0, c1)).put("lookupsDuring", delta(c1, c2))
                .put("realShopHitRatioBefore", ratioBefore).put("realShopHitRatioDuring", ratioDuring)
                .put("heapAfterGcBeforeMiB", heapBefore).put("heapAfterGcAfterMiB", heapAfter)
                .put("heapGrowthMiB", heapAfter - heapBefore));
        System.err.printf("invented hosts: %d sent; real shops' hit ratio %.3f before, %.3f during; heap after GC %.1f -> %.1f MiB%n",
                invented.get(), ratioBefore, ratioDuring, heapBefore, heapAfter);
        Main.write(Main.one(args, "out", null), out);
        engine.vertx().close();
        return 0;
    }

    /** Starts the flooding process ({@link SignInFlood}) with this JVM's java and class path. */
    static Process flooder(String gateway, String host, double rate, int seconds, int rounds, int warmup, Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only: a flood needs no peak code, and C2 compiling through the flood's first seconds would
        // take a core of the box from the platform under test
        return new ProcessBuilder(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "signin-flood", "--gateway=" + gateway, "--host=" + host, "--rate=" + rate, "--seconds=" + seconds, "--rounds=" + rounds,
                "--warmup-seconds=" + warmup, "--out=" + out)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the flooding process's next line and fails unless it is the expected word. */
    static void expect(BufferedReader from, String word, Process process) throws IOException {
        String line = from.readLine();
        if (!word.equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the flooding process said " + line + " instead of " + word);
        }
    }

    /** Counts of the flood's answers (event loop only, but read at the end from the main thread). */
    static final class FloodTally {
        final AtomicLong refused = new AtomicLong();
        final AtomicLong refusedWithRetryAfter = new AtomicLong();
        final AtomicLong other = new AtomicLong();
    }

    /** A product read of a random one of the shops. */
    static OpenLoop.Op read(Ops.Target target, List<String> hosts) {
        return (client, random) -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                    .setURI("/api/storefront/products/p-0").setTimeout(Ops.TIMEOUT_MS)
                    .putHeader(HttpHeaders.HOST, hosts.get(random.nextInt(hosts.size())));
            return client.request(options).compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()));
        };
    }

    /** A sign-in attempt with an email no account has. */
    static OpenLoop.Op signIn(Ops.Target target, String shopHost, FloodTally tally) {
        return (client, random) -> {
            JsonObject body = new JsonObject().put("email", "nobody-" + Long.toHexString(random.nextLong()) + "@flood.example")
                    .put("password", "guess-" + random.nextInt(1_000_000));
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host()).setPort(target.port())
                    .setURI("/api/admin/tokens").setTimeout(Ops.TIMEOUT_MS).putHeader(HttpHeaders.HOST, shopHost)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            return client.request(options).compose(req -> req.send(body.toBuffer())).compose(resp -> resp.body().map(b -> {
                if (resp.statusCode() == 429) {
                    tally.refused.incrementAndGet();
                    if (resp.getHeader("Retry-After") != null) {
                        tally.refusedWithRetryAfter.incrementAndGet();
                    }
                } else {
                    tally.other.incrementAndGet();
                }
                return resp.statusCode();
            }));
        };
    }

    /** A shop read with a Host no shop has: half under the platform's domain, half foreign. */
    static OpenLoop.Op inventedHost(Ops.Target target, AtomicLong sent) {
        return (client, random) -> {
            long n = sent.incrementAndGet();
            String host = (n % 2 == 0 ? "x" + Long.toHexString(random.nextLong()) + ".shops.localhost"
                    : Long.toHexString(random.nextLong()) + ".invented-" + (n % 97) + ".example");
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                    .setURI("/api/storefront/shop").setTimeout(Ops.TIMEOUT_MS).putHeader(HttpHeaders.HOST, host);
            return client.request(options).compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()));
        };
    }

    /** The cell's host lookups by outcome, from its metrics. */
    static JsonObject lookups(HttpClient http, String management) throws IOException, InterruptedException {
        JsonObject counts = new JsonObject();
        for (String line : metrics(http, management).split("\n")) {
            if (line.startsWith("tenancy_host_lookups_total{")) {
                int o = line.indexOf("outcome=\"");
                String outcome = line.substring(o + 9, line.indexOf('"', o + 9));
                counts.put(outcome, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        if (counts.isEmpty()) {
            throw new IllegalStateException("the cell reports no tenancy_host_lookups_total");
        }
        return counts;
    }

    static JsonObject delta(JsonObject from, JsonObject to) {
        JsonObject d = new JsonObject();
        to.fieldNames().forEach(k -> d.put(k, to.getDouble(k) - from.getDouble(k, 0.0)));
        return d;
    }

    /** Hits over hits and found loads between two readings: the real shops' hit ratio. */
    static double hitRatio(JsonObject from, JsonObject to) {
        JsonObject d = delta(from, to);
        double hits = d.getDouble("hit", 0.0);
        double loaded = d.getDouble("loaded", 0.0);
        return hits + loaded > 0 ? hits / (hits + loaded) : 0.0;
    }

    /** Heap in use (MiB) right after a full collection of the cell's JVM (jcmd GC.run). */
    static double heapAfterGc(HttpClient http, String management, long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run failed");
        }
        double bytes = 0;
        for (String line : metrics(http, management).split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return bytes / 1048576.0;
    }

    static String metrics(HttpClient http, String management) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(management + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("metrics answered " + r.statusCode());
        }
        return r.body();
    }
}
