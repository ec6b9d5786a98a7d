package bench.driver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Shops through the platform's real APIs: created on the control plane (create-to-first-200 timed
 * through the gateway), rate limits set by the operator API, products created by the owner through
 * the admin API on the shop's cell, stock read back for the consistency checks.
 */
public final class Setup {

    static final String DOMAIN = "shops.localhost";

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    public final String control;
    public final String gateway;
    public final String token;
    private final Map<String, String> cellUrls = new HashMap<>();

    public Setup(String control, String gateway, String token) {
        this.control = control;
        this.gateway = gateway;
        this.token = token;
    }

    public record Answer(int status, String body, HttpHeadersView headers) {
        public JsonObject json() {
            return body == null || body.isEmpty() || body.charAt(0) != '{' ? new JsonObject() : new JsonObject(body);
        }
    }

    public record HttpHeadersView(java.net.http.HttpHeaders headers) {
        public String first(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    public Answer send(String method, String url, String host, String bearer, JsonObject body, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (host != null) {
            b.header("Host", host);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), new HttpHeadersView(r.headers()));
    }

    public String cellUrl(String cellId) throws IOException, InterruptedException {
        String known = cellUrls.get(cellId);
        if (known != null) {
            return known;
        }
        Answer a = send("GET", control + "/api/controlplane/cells/" + cellId, null, token, null, null);
        check(a, 200, "GET cell " + cellId);
        String url = a.json().getString("baseUrl");
        synchronized (cellUrls) {
            cellUrls.put(cellId, url);
        }
        return url;
    }

    public static void check(Answer a, int expected, String what) {
        if (a.status() != expected) {
            throw new IllegalStateException(what + ": HTTP " + a.status() + " " + a.body());
        }
    }

    /** One created shop. */
    public record Shop(String handle, String id, String cell, String password, long createMs, long firstOkMs) {
        public String host() {
            return handle + "." + DOMAIN;
        }
    }

    /**
     * Creates a shop and polls its storefront through the gateway until the first 200; returns it with
     * the time from the create call to that answer.
     */
    public Shop provision(String handle, String plan) throws IOException, InterruptedException {
        long start = System.nanoTime();
        JsonObject body = new JsonObject().put("handle", handle).put("plan", plan).put("ownerEmail", "owner@" + handle + ".example");
        Answer created = send("POST", control + "/api/controlplane/tenants", null, token, body, "bench-" + handle);
        long answered = System.nanoTime();
        check(created, 202, "create " + handle);
        JsonObject t = created.json();
        String id = t.getString("id");
        String password = t.getString("ownerPassword");
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Answer probe = send("GET", gateway + "/api/storefront/shop", handle + "." + DOMAIN, null, null, null);
            if (probe.status() == 200) {
                long now = System.nanoTime();
                Answer status = send("GET", control + "/api/controlplane/tenants/" + id, null, token, null, null);
                return new Shop(handle, id, status.json().getString("cellId"), password,
                        (answered - start) / 1_000_000, (now - start) / 1_000_000);
            }
            Thread.sleep(5); // polling interval of the probe
        }
        throw new IllegalStateException(handle + ": no 200 through the gateway within 60 s of its creation");
    }

    /** Creates shops {@code prefix-0..count-1}, {@code concurrency} at a time. */
    public List<Shop> provisionAll(String prefix, int count, int concurrency, String plan) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Shop>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String handle = prefix + "-" + i;
                futures.add(pool.submit(() -> provision(handle, plan)));
            }
            List<Shop> shops = new ArrayList<>();
            for (Future<Shop> f : futures) {
                shops.add(f.get());
            }
            return shops;
        } finally {
            pool.shutdown();
        }
    }

    /** Raises (or sets) a shop's rate limit and waits until the gateway applies it. */
    public void setLimits(Shop shop, int rps, int burst) throws IOException, InterruptedException {
        Answer a = send("PUT", control + "/api/controlplane/tenants/" + shop.id() + "/limits", null, token,
                new JsonObject().put("requestsPerSecond", rps).put("burst", burst), null);
        check(a, 200, "limits of " + shop.handle());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Answer probe = send("GET", gateway + "/api/storefront/shop", shop.host(), null, null, null);
            if (probe.status() == 200 && probe.headers().first("RateLimit-Policy").startsWith(rps + ";")) {
                return;
            }
            Thread.sleep(10); // polling interval
        }
        throw new IllegalStateException(shop.handle() + ": the gateway did not apply the limit " + rps + "/s within 30 s");
    }

    /** The owner's admin API token on the shop's cell. */
    public String adminToken(Shop shop) throws IOException, InterruptedException {
        Answer a = send("POST", cellUrl(shop.cell()) + "/api/admin/tokens", shop.host(), null,
                new JsonObject().put("email", "owner@" + shop.handle() + ".example").put("password", shop.password()).put("name", "bench"), null);
        check(a, 201, "admin token of " + shop.handle());
        return a.json().getString("token");
    }

    /** Creates products p-0..p-(count-1), one variant each with the given stock; returns the variants. */
    public JsonArray fill(Shop shop, String adminToken, int count, int stock) throws IOException, InterruptedException {
        JsonArray variants = new JsonArray();
        String cell = cellUrl(shop.cell());
        for (int i = 0; i < count; i++) {
            JsonObject product = new JsonObject().put("handle", "p-" + i).put("title", "Product " + i)
                    .put("description", "A product of the benchmark shop " + shop.handle() + ".")
                    .put("variants", new JsonArray().add(new JsonObject().put("sku", "SKU-" + i).put("title", "Default")
                            .put("priceMinor", 1000 + i).put("currency", "EUR").put("inventory", stock)));
            Answer a = send("POST", cell + "/api/admin/products", shop.host(), adminToken, product, null);
            check(a, 201, "product p-" + i + " of " + shop.handle());
            JsonObject v = a.json().getJsonArray("variants").getJsonObject(0);
            variants.add(new JsonObject().put("product", a.json().getString("id")).put("id", v.getString("id")).put("stock", stock));
        }
        return variants;
    }

    /** The available stock of a product's variants, from the admin API (the database, not a cache). */
    public Map<String, Integer> stock(Shop shop, String adminToken, String productId) throws IOException, InterruptedException {
        Answer a = send("GET", cellUrl(shop.cell()) + "/api/admin/products/" + productId, shop.host(), adminToken, null, null);
        check(a, 200, "product " + productId);
        Map<String, Integer> out = new HashMap<>();
        JsonArray vs = a.json().getJsonArray("variants");
        for (int i = 0; i < vs.size(); i++) {
            out.put(vs.getJsonObject(i).getString("id"), vs.getJsonObject(i).getInteger("available"));
        }
        return out;
    }

    public static JsonObject toJson(Shop s) {
        return new JsonObject().put("handle", s.handle()).put("id", s.id()).put("cell", s.cell())
                .put("password", s.password()).put("createMs", s.createMs()).put("firstOkMs", s.firstOkMs());
    }

    static Shop fromJson(JsonObject o) {
        return new Shop(o.getString("handle"), o.getString("id"), o.getString("cell"), o.getString("password"),
                o.getLong("createMs", 0L), o.getLong("firstOkMs", 0L));
    }

    static JsonObject latencies(List<Shop> shops) {
        Histogram total = new Histogram(3_600_000L, 3);
        Histogram create = new Histogram(3_600_000L, 3);
        for (Shop s : shops) {
            total.recordValue(Math.max(1, s.firstOkMs()));
            create.recordValue(Math.max(1, s.createMs()));
        }
        return new JsonObject().put("createToFirst200Ms", msSummary(total)).put("createCallMs", msSummary(create))
                .put("distribution", msDistribution(total));
    }

    static JsonObject msSummary(Histogram h) {
        JsonObject o = new JsonObject().put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return o;
        }
        return o.put("p50", h.getValueAtPercentile(50)).put("p90", h.getValueAtPercentile(90))
                .put("p99", h.getValueAtPercentile(99)).put("max", h.getMaxValue()).put("mean", OpenLoop.round(h.getMean(), 1));
    }

    static JsonArray msDistribution(Histogram h) {
        JsonArray points = new JsonArray();
        for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 100}) {
            points.add(new JsonArray().add(p).add((double) (p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p))));
        }
        return points;
    }
}
