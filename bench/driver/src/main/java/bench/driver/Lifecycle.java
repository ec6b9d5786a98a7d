package bench.driver;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 11, data lifecycle: a big shop on cell1 (loaded by bench/run) is exported by an operator while the cell's
 * live heap is sampled (the reachable objects' bytes from {@code jcmd GC.class_histogram}: what the export holds, not
 * garbage waiting for a collection), imported into an empty shop on cell2, exported again there (every table's rows and
 * checksum must equal the first export's), and finally purged while a quiet shop of cell1 is read (its product pages,
 * through the gateway) and buys; the quiet shop's p99 during the purge is compared with its p99 over a window just before.
 *
 * <pre>
 * driver lifecycle --control=URL --token=T --gateway=URL --shops=FILE --target=ID --cell1-management=URL
 *   --cell2-management=URL --cell1-pid=PID --quiet-rate=R --quiet-checkout-rate=R --baseline-seconds=S --out=FILE
 * </pre>
 * {@code --shops}: from {@code driver provision}; the first shop is the big one, the others are quiet.
 */
final class Lifecycle {

    private Lifecycle() {}

    static final Pattern HEAP_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    static int run(Map<String, List<String>> args) throws Exception {
        String control = Main.one(args, "control", null);
        String token = Main.one(args, "token", null);
        Ops.Target gateway = Ops.Target.of(Main.one(args, "gateway", null));
        JsonArray shops = new JsonObject(Files.readString(Path.of(Main.one(args, "shops", null)))).getJsonArray("list");
        JsonObject source = shops.getJsonObject(0);
        String sourceId = source.getString("id");
        String targetId = Main.one(args, "target", null);
        String cell1 = Main.one(args, "cell1-management", null);
        String cell2 = Main.one(args, "cell2-management", null);
        long pid = Long.parseLong(Main.one(args, "cell1-pid", null));
        double quietRate = Double.parseDouble(Main.one(args, "quiet-rate", "50"));
        double quietCheckoutRate = Double.parseDouble(Main.one(args, "quiet-checkout-rate", "5"));
        int baselineSeconds = Main.num(args, "baseline-seconds", 30);
        JsonObject out = new JsonObject();

        // 1. the export, with the cell's live heap sampled along
        long idleHeap = Math.min(liveHeapKib(pid), liveHeapKib(pid));
        String exportId = post(cell1 + "/q/lifecycle/shops/" + sourceId + "/exports", token, null, 202).getString("id");
        AtomicBoolean exporting = new AtomicBoolean(true);
        AtomicLong maxHeap = new AtomicLong(idleHeap);
        AtomicLong samples = new AtomicLong();
        Thread sampler = Thread.ofPlatform().name("heap").start(() -> {
            while (exporting.get()) {
                try {
                    maxHeap.accumulateAndGet(liveHeapKib(pid), Math::max);
                    samples.incrementAndGet();
                    Thread.sleep(500);
                } catch (Exception e) {
                    return;
                }
            }
        });
        JsonObject exported = await(cell1 + "/q/lifecycle/shops/" + sourceId + "/exports/" + exportId, token, "status", "ready", 1800);
        exporting.set(false);
        sampler.join();
        JsonObject manifest = exported.getJsonObject("manifest");
        long rows = manifest.getLong("rows");
        double exportSeconds = seconds(exported.getString("createdAt"), exported.getString("finishedAt"));
        out.put("export", new JsonObject().put("rows", rows).put("tables", manifest.getJsonArray("tables").size())
                .put("bytes", exported.getLong("sizeBytes")).put("seconds", round(exportSeconds))
                .put("rowsPerSecond", round(rows / exportSeconds)).put("idleLiveHeapMiB", round(idleHeap / 1024.0))
                .put("maxLiveHeapMiB", round(maxHeap.get() / 1024.0))
                .put("heapOverIdleMiB", round((maxHeap.get() - idleHeap) / 1024.0)).put("heapSamples", samples.get())
                .put("note", "live heap: the bytes of reachable objects from jcmd GC.class_histogram (a full collection first), every 0.5 s;"
                        + " the export's time includes those pauses"));
        System.err.printf("lifecycle: exported %d rows in %.1f s (%.0f rows/s), live heap %d -> %d MiB%n", rows, exportSeconds,
                rows / exportSeconds, idleHeap / 1024, maxHeap.get() / 1024);

        // 2. the import into an empty shop of the other cell, and its export again
        String archive = exported.getString("archive");
        JsonObject imported = post(cell2 + "/q/lifecycle/shops/" + targetId + "/imports", token, new JsonObject().put("archive", archive), 200);
        double importSeconds = imported.getLong("durationMs") / 1000.0;
        String againId = post(cell2 + "/q/lifecycle/shops/" + targetId + "/exports", token, null, 202).getString("id");
        JsonObject again = await(cell2 + "/q/lifecycle/shops/" + targetId + "/exports/" + againId, token, "status", "ready", 1800);
        List<String> differing = new ArrayList<>();
        JsonArray first = manifest.getJsonArray("tables");
        JsonArray second = again.getJsonObject("manifest").getJsonArray("tables");
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            JsonObject a = i < first.size() ? first.getJsonObject(i) : new JsonObject();
            JsonObject b = i < second.size() ? second.getJsonObject(i) : new JsonObject();
            if (!a.getString("name", "").equals(b.getString("name", "")) || a.getLong("rows", -1L).longValue() != b.getLong("rows", -2L).longValue()
                    || !a.getString("sha256", "").equals(b.getString("sha256", ""))) {
                differing.add(a.getString("name", b.getString("name")));
            }
        }
        out.put("import", new JsonObject().put("rows", imported.getLong("total")).put("seconds", round(importSeconds))
                .put("rowsPerSecond", round(imported.getLong("total") / importSeconds))
                .put("checksumsIdentical", differing.isEmpty()).put("differingTables", new JsonArray(differing))
                .put("sourceTables", first).put("importedTables", second));
        System.err.printf("lifecycle: imported %d rows in %.1f s (%.0f rows/s); checksums %s%n", imported.getLong("total"),
                importSeconds, imported.getLong("total") / importSeconds, differing.isEmpty() ? "identical" : "differ: " + differing);

        // 3. the purge, beside a quiet shop of the same cell
        JsonObject quiet = shops.getJsonObject(1);
        String quietHost = quiet.getString("handle") + "." + Setup.DOMAIN;
        List<String> quietVariants = new ArrayList<>();
        quiet.getJsonArray("variants").forEach(v -> quietVariants.add(((JsonObject) v).getString("id")));
        OpenLoop engine = Main.engine(64);
        AtomicLong seq = new AtomicLong();
        List<OpenLoop.Stream> streams = List.of(
                new OpenLoop.Stream("quiet-reads", quietRate, (client, random) -> client.request(new RequestOptions()
                                .setMethod(HttpMethod.GET).setHost(gateway.host()).setPort(gateway.port())
                                .setURI("/api/storefront/products/p-" + random.nextInt(quietVariants.size())).setTimeout(Ops.TIMEOUT_MS)
                                .putHeader("Host", quietHost))
                        .compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()))),
                new OpenLoop.Stream("quiet-checkouts", quietCheckoutRate,
                        Ops.checkout(gateway, quietHost, quietVariants, new Ops.CheckoutTally(), seq)));
        engine.run(streams, 5, 1000, 3); // warm-up
        List<OpenLoop.Recorder> alone = engine.run(streams, baselineSeconds, 1000, 11);
        CompletableFuture<List<OpenLoop.Recorder>> beside = new CompletableFuture<>();
        int window = Main.num(args, "purge-window-seconds", 600);
        AtomicBoolean purging = new AtomicBoolean(true);
        long purgeStart = System.nanoTime();
        post(control + "/api/controlplane/tenants/" + sourceId + "/purge", token, null, 202);
        Thread quietThread = Thread.ofPlatform().name("quiet").start(() -> {
            try {
                beside.complete(engine.runWhile(streams, window, 1000, 11, purging::get));
            } catch (Throwable e) {
                beside.completeExceptionally(e);
            }
        });
        JsonObject purged = await(control + "/api/controlplane/tenants/" + sourceId + "/purge", token, "status", "done", window);
        purging.set(false);
        double purgeWall = (System.nanoTime() - purgeStart) / 1e9;
        quietThread.join();
        List<OpenLoop.Recorder> during = beside.get();
        engine.vertx().close();
        long deleted = 0;
        for (Object n : purged.getJsonObject("deletedRows").getMap().values()) {
            deleted += ((Number) n).longValue();
        }
        double purgeSeconds = purged.getLong("durationMs") / 1000.0;
        double aloneRead = p99(alone.get(0));
        double duringRead = p99(during.get(0));
        double aloneCheckout = p99(alone.get(1));
        double duringCheckout = p99(during.get(1));
        out.put("purge", new JsonObject().put("rows", deleted).put("seconds", round(purgeSeconds)).put("wallSeconds", round(purgeWall))
                .put("rowsPerSecond", round(deleted / purgeSeconds)).put("redisKeys", purged.getLong("redisKeys"))
                .put("archives", purged.getLong("archives")).put("deletedRows", purged.getJsonObject("deletedRows"))
                .put("quietReadP99AloneMs", aloneRead).put("quietReadP99DuringMs", duringRead)
                .put("quietReadP99Ratio", round(duringRead / aloneRead))
                .put("quietCheckoutP99AloneMs", aloneCheckout).put("quietCheckoutP99DuringMs", duringCheckout)
                .put("quietCheckoutP99Ratio", round(duringCheckout / aloneCheckout))
                .put("readsAlone", alone.get(0).toJson()).put("readsDuring", during.get(0).toJson())
                .put("checkoutsAlone", alone.get(1).toJson()).put("checkoutsDuring", during.get(1).toJson()));
        System.err.printf("lifecycle: purged %d rows in %.1f s (%.0f rows/s); quiet read p99 %.2f -> %.2f ms, checkout p99 %.2f -> %.2f ms%n",
                deleted, purgeSeconds, deleted / purgeSeconds, aloneRead, duringRead, aloneCheckout, duringCheckout);
        Main.write(Main.one(args, "out", null), out);
        return 0;
    }

    /**
     * The live heap of a JVM in KiB: the bytes of every object still reachable, from a class histogram (which collects
     * first), not the heap's "used" (which counts whole regions, and what a collection left in them).
     */
    static long liveHeapKib(long pid) throws IOException, InterruptedException {
        Matcher m = HEAP_TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
        if (!m.find()) {
            throw new IllegalStateException("jcmd GC.class_histogram gave no total");
        }
        return Long.parseLong(m.group(1)) / 1024;
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    static double p99(OpenLoop.Recorder recorder) {
        return recorder.toJson().getJsonObject("latencyMs").getDouble("p99");
    }

    static JsonObject post(String url, String token, JsonObject body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30));
        request = body == null ? request.POST(HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return new JsonObject(response.body());
    }

    /** Polls a GET until the field has the value (every 200 ms, at most {@code seconds}). */
    static JsonObject await(String url, String token, String field, String value, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonObject json = new JsonObject(response.body());
                if (value.equals(json.getString(field))) {
                    return json;
                }
                if ("failed".equals(json.getString(field))) {
                    throw new IllegalStateException(url + " failed: " + json.encode());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + ": no " + field + "=" + value + " within " + seconds + " s: " + response.body());
            }
            Thread.sleep(200);
        }
    }

    static double seconds(String from, String to) {
        return Math.max(0.001, Duration.between(Instant.parse(from), Instant.parse(to)).toMillis() / 1000.0);
    }

    static double round(double v) {
        return OpenLoop.round(v, 2);
    }
}
