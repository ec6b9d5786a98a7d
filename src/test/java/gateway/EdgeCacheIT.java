package gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import testsupport.Infra;
import testsupport.Metrics;
import testsupport.Node;
import testsupport.Operator;
import testsupport.RawHttp;

/**
 * The gateway's edge cache on a whole platform on loopback (control node, one cell, one gateway with
 * small byte budgets): anonymous storefront reads are answered from the gateway after the first, per
 * shop (never across shops, shared by a shop's host names), with one fetch from the cell however many
 * ask at once, purged by the catalogue's events, bounded per shop and in total, and served stale while
 * the cell is down. The cell says its answers stay fresh for 300 s here, so only a purge can show a
 * change before then.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeCacheIT {

    static final long TENANT_MAX_BYTES = 64 * 1024;
    static final long MAX_BYTES = 1024 * 1024;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    static Node control;
    static Node gateway;
    static Node cell;
    static String cellId;
    static Operator operator;
    static String hostA;
    static String hostA2;
    static String hostB;
    static String customA;
    static String idA;
    static String idB;
    static String tokenA;
    static String tokenA2;
    static String tokenB;

    @BeforeAll
    static void platform() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Path snapshot = Path.of("target/gateway-routes-edge-" + suffix + ".json").toAbsolutePath();
        Files.deleteIfExists(snapshot);
        cellId = "ec" + suffix;
        control = Node.control(1).start();
        operator = new Operator(control);
        cell = Node.cell(cellId, Infra.TEST_CELL_DB, 1).with("STOREFRONT_EDGE_MAX_AGE", "300").start();
        gateway = Node.gateway(snapshot.toString())
                .with("GATEWAY_EDGE_CACHE_MAX_BYTES", String.valueOf(MAX_BYTES))
                .with("GATEWAY_EDGE_CACHE_TENANT_MAX_BYTES", String.valueOf(TENANT_MAX_BYTES)).start();
        operator.register(cellId, cell, 1000, 100_000);
        // every shop of this test on this cell: the cells of earlier tests are drained meanwhile
        operator.drainAllBut(cellId);
        String shopA = "eca-" + suffix;
        String shopA2 = "ecc-" + suffix;
        String shopB = "ecb-" + suffix;
        Map<String, String> passwords = new java.util.HashMap<>();
        idA = create(shopA, passwords);
        String idA2 = create(shopA2, passwords);
        idB = create(shopB, passwords);
        for (String id : List.of(idA, idA2, idB)) {
            assertEquals(cellId, operator.awaitActive(id));
            // room for the bursts below
            operator().body(Map.of("requestsPerSecond", 5000, "burst", 10000)).put("/api/controlplane/tenants/" + id + "/limits")
                    .then().statusCode(200);
        }
        hostA = shopA + ".shops.localhost";
        hostA2 = shopA2 + ".shops.localhost";
        hostB = shopB + ".shops.localhost";
        customA = "www." + shopA + ".example";
        operator().body(Map.of("host", customA)).post("/api/controlplane/tenants/" + idA + "/domains").then().statusCode(201);
        operator().post("/api/controlplane/tenants/" + idA + "/domains/" + customA + "/verify").then().statusCode(200);
        for (String host : List.of(hostA, hostA2, hostB, customA)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> shopper(host)
                    .get("/api/storefront/shop?probe=" + UUID.randomUUID()).then().statusCode(200)
                    .header("RateLimit-Policy", "5000;w=1;burst=10000"));
        }
        tokenA = token(hostA, "o@" + shopA + ".example", passwords.get(shopA));
        tokenA2 = token(hostA2, "o@" + shopA2 + ".example", passwords.get(shopA2));
        tokenB = token(hostB, "o@" + shopB + ".example", passwords.get(shopB));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.undrainDrained();
        }
        Node.stopAll(gateway, cell, control);
    }

    static RequestSpecification operator() {
        return operator.api();
    }

    static String create(String handle, Map<String, String> passwords) {
        Operator.Created created = operator.create(handle);
        passwords.put(handle, created.ownerPassword());
        return created.id();
    }

    static String token(String host, String email, String password) {
        return shopper(host).contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
    }

    static RequestSpecification shopper(String host) {
        return given().baseUri(gateway.baseUrl()).header("Host", host);
    }

    static RequestSpecification admin(String host, String token) {
        return shopper(host).header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** Creates an active product with one variant through the gateway; returns it. */
    /**
     * Creates a product and waits until the gateway has applied the purge its creation causes: that purge
     * travels through Kafka and would otherwise drop an entry that a read made in the meantime filled.
     */
    static JsonPath product(String host, String token, String handle, String title, long priceMinor) {
        double purges = Metrics.total(gateway.managementUrl(), "gateway_edge_purges_total");
        JsonPath created = admin(host, token).body(Map.of("handle", handle, "title", title, "variants", List.of(Map.of(
                        "sku", handle + "-" + UUID.randomUUID().toString().substring(0, 6), "title", "One", "priceMinor", priceMinor,
                        "currency", "EUR", "options", Map.of("size", "one"), "inventory", 5))))
                .post("/api/admin/products").then().statusCode(201).extract().jsonPath();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> Metrics.total(gateway.managementUrl(), "gateway_edge_purges_total") > purges);
        return created;
    }

    static Map<String, Object> edgeView(String tenantId) {
        return given().baseUri(gateway.managementUrl()).queryParam("tenant", tenantId).get("/q/gateway/edge-cache")
                .then().statusCode(200).extract().jsonPath().getMap("$");
    }

    static double metric(Node node, String name, String tag, String value) {
        return Metrics.byTag(node.managementUrl(), name, tag).getOrDefault(value, 0.0);
    }

    @Test
    @Order(1)
    void aSecondReadIsAHitWithItsAgeAndAMatchingTagIsAnswered304() {
        product(hostA, tokenA, "hit-me", "Hit me", 1000);
        Response first = shopper(hostA).get("/api/storefront/products/hit-me");
        first.then().statusCode(200).header("X-Cache", "MISS").header("X-Cache-Cell", notNullValue())
                .header("Surrogate-Key", nullValue()).header("ETag", notNullValue()).body("title", equalTo("Hit me"));
        Response second = shopper(hostA).get("/api/storefront/products/hit-me");
        second.then().statusCode(200).header("X-Cache", "HIT").header("Age", matchesPattern("\\d+"))
                .header("ETag", first.header("ETag")).header("Cache-Control", first.header("Cache-Control"))
                .header("RateLimit-Policy", "5000;w=1;burst=10000");
        assertEquals(first.asString(), second.asString());
        // HEAD shares the entry
        shopper(hostA).head("/api/storefront/products/hit-me").then().statusCode(200).header("X-Cache", "HIT");
        // the shopper's conditional request is answered by the gateway
        shopper(hostA).header("If-None-Match", "\"x\", " + first.header("ETag")).get("/api/storefront/products/hit-me").then()
                .statusCode(304).header("X-Cache", "HIT").header("ETag", first.header("ETag"));
        // the order of query parameters does not matter
        shopper(hostA).get("/api/storefront/products?limit=7&q=hit").then().statusCode(200).header("X-Cache", "MISS");
        shopper(hostA).get("/api/storefront/products?q=hit&limit=7").then().statusCode(200).header("X-Cache", "HIT")
                .body("items.handle", equalTo(List.of("hit-me")));
    }

    @Test
    @Order(2)
    void shopsNeverShareEntriesAndAShopsHostsDo() {
        product(hostA, tokenA, "same-path", "Of shop A", 1000);
        product(hostA2, tokenA2, "same-path", "Of shop A2", 2000);
        for (int round = 0; round < 2; round++) {
            shopper(hostA).get("/api/storefront/products/same-path").then().statusCode(200).body("title", equalTo("Of shop A"));
            shopper(hostA2).get("/api/storefront/products/same-path").then().statusCode(200).body("title", equalTo("Of shop A2"));
        }
        shopper(hostA2).get("/api/storefront/products/same-path").then().header("X-Cache", "HIT");
        // a shop's custom domain reads the entries its platform host filled
        shopper(customA).get("/api/storefront/products/same-path").then().statusCode(200).header("X-Cache", "HIT")
                .body("title", equalTo("Of shop A"));
        shopper(hostB).get("/api/storefront/products/same-path").then().statusCode(404).header("X-Cache", "MISS");
    }

    @Test
    @Order(3)
    void aPriceChangeIsVisibleThroughTheGatewayOnceThePurgeArrivesAndTheOldPriceNeverReturns() {
        JsonPath created = product(hostA, tokenA, "price-tag", "Price tag", 1000);
        String variant = created.getString("variants[0].id");
        shopper(hostA).get("/api/storefront/products/price-tag").then().statusCode(200).header("X-Cache", "MISS");
        shopper(hostA).get("/api/storefront/products/price-tag").then().header("X-Cache", "HIT").body("variants[0].priceMinor", equalTo(1000));
        shopper(hostA).get("/api/storefront/products?q=price").then().body("items[0].variants[0].priceMinor", equalTo(1000));
        double purges = metric(gateway, "gateway_edge_purges_total", "scope", "keys");
        admin(hostA, tokenA).body(Map.of("priceMinor", 1250)).put("/api/admin/variants/" + variant).then().statusCode(200);
        // fresh for 300 s at the gateway: only the purge brings the new price
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                shopper(hostA).get("/api/storefront/products/price-tag").<Integer>path("variants[0].priceMinor") == 1250);
        assertTrue(metric(gateway, "gateway_edge_purges_total", "scope", "keys") > purges);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                shopper(hostA).get("/api/storefront/products?q=price").<Integer>path("items[0].variants[0].priceMinor") == 1250);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                shopper(hostA).get("/api/storefront/products/price-tag").<Integer>path("variants[0].priceMinor") == 1250
                        && shopper(customA).get("/api/storefront/products?q=price").<Integer>path("items[0].variants[0].priceMinor") == 1250);
        shopper(hostA).get("/api/storefront/products/price-tag").then().header("X-Cache", "HIT");
        assertTrue(given().baseUri(gateway.managementUrl()).get("/q/metrics").asString().contains("gateway_edge_purge_lag_seconds_count"));
    }

    @Test
    @Order(4)
    void answersWithCredentialsCookiesAndCartsAreNeverCached() {
        product(hostA, tokenA, "private-view", "Private view", 1000);
        for (int i = 0; i < 2; i++) {
            shopper(hostA).header("Authorization", "Bearer x").get("/api/storefront/products/private-view").then()
                    .header("X-Cache", "BYPASS");
            shopper(hostA).header("Cookie", "session=abc").get("/api/storefront/products/private-view").then()
                    .header("X-Cache", "BYPASS");
        }
        shopper(hostA).get("/api/storefront/products/private-view").then().statusCode(200).header("X-Cache", "MISS");
        String cart = shopper(hostA).contentType(ContentType.JSON).body("{}").post("/api/storefront/carts").then().statusCode(201)
                .header("X-Cache", "BYPASS").header("Cache-Control", "no-store").extract().path("id");
        for (int i = 0; i < 2; i++) {
            shopper(hostA).get("/api/storefront/carts/" + cart).then().statusCode(200).header("X-Cache", "MISS")
                    .header("Cache-Control", "no-store");
        }
        admin(hostA, tokenA).get("/api/admin/products").then().statusCode(200).header("X-Cache", "BYPASS")
                .header("Cache-Control", "no-store");
        Map<?, ?> tenant = (Map<?, ?>) edgeView(idA).get("tenant");
        assertTrue(((Number) tenant.get("entries")).intValue() > 0, "the shop's anonymous reads are kept: " + tenant);
    }

    @Test
    @Order(5)
    void manyShoppersAskingForAColdKeyAtOnceMakeOneFetchFromTheCell() throws Exception {
        product(hostB, tokenB, "flash-sale", "Flash sale", 999);
        String uri = "/api/storefront/products/{handle}";
        double cellBefore = metric(cell, "http_server_requests_seconds_count", "uri", uri);
        double fetchesBefore = Metrics.total(gateway.managementUrl(), "gateway_edge_upstream_fetches_total");
        double coalescedBefore = Metrics.total(gateway.managementUrl(), "gateway_edge_coalesced_total");
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        // the cell is frozen while the shoppers arrive, so the first one's fetch is still running when the others ask
        Infra.freeze(cell.pid());
        try {
            burst.add(flashSale());
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20)).until(() ->
                    Metrics.total(gateway.managementUrl(), "gateway_edge_upstream_fetches_total") > fetchesBefore);
            for (int i = 1; i < 60; i++) {
                burst.add(flashSale());
            }
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20)).until(() ->
                    Metrics.total(gateway.managementUrl(), "gateway_edge_coalesced_total") - coalescedBefore >= 59);
        } finally {
            Infra.thaw(cell.pid());
        }
        int misses = 0;
        int hits = 0;
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> response = f.get();
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"Flash sale\""), response.body());
            String label = response.headers().firstValue("X-Cache").orElse("");
            misses += label.equals("MISS") ? 1 : 0;
            hits += label.equals("HIT") ? 1 : 0;
        }
        assertEquals(1, misses, "one leader");
        assertEquals(59, hits, "every other request served from the leader's answer");
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(cell, "http_server_requests_seconds_count", "uri", uri) > cellBefore);
        assertEquals(1.0, metric(cell, "http_server_requests_seconds_count", "uri", uri) - cellBefore, "the cell served it once");
        assertEquals(1.0, Metrics.total(gateway.managementUrl(), "gateway_edge_upstream_fetches_total") - fetchesBefore);
        assertEquals(59.0, Metrics.total(gateway.managementUrl(), "gateway_edge_coalesced_total") - coalescedBefore,
                "every other request waited for the leader's fetch");
    }

    private static CompletableFuture<HttpResponse<String>> flashSale() {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/storefront/products/flash-sale"))
                .header("Host", hostB).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(6)
    void aShopFillingItsShareEvictsOnlyItsOwnEntries() {
        product(hostB, tokenB, "keep-me", "Keep me", 500);
        shopper(hostB).get("/api/storefront/products/keep-me").then().header("X-Cache", "MISS");
        shopper(hostB).get("/api/storefront/products/keep-me").then().header("X-Cache", "HIT");
        double evictions = metric(gateway, "gateway_edge_evictions_total", "cause", "tenant-budget");
        for (int i = 0; i < 250; i++) {
            shopper(hostA).get("/api/storefront/products?limit=1&q=fill" + i).then().statusCode(200);
        }
        Map<?, ?> a = (Map<?, ?>) edgeView(idA).get("tenant");
        assertTrue(((Number) a.get("bytes")).longValue() <= TENANT_MAX_BYTES, "shop A within its share: " + a);
        assertTrue(metric(gateway, "gateway_edge_evictions_total", "cause", "tenant-budget") > evictions);
        shopper(hostB).get("/api/storefront/products/keep-me").then().statusCode(200).header("X-Cache", "HIT");
        Map<?, ?> b = (Map<?, ?>) edgeView(idB).get("tenant");
        assertTrue(((Number) b.get("entries")).intValue() >= 2, "shop B keeps its entries: " + b);
    }

    @Test
    @Order(7)
    void oddQueriesHugeTagsAndManyKeysNeverFailAndStayWithinTheBounds() throws Exception {
        String[] targets = {
            "/api/storefront/products?%zz", "/api/storefront/products?q=%", "/api/storefront/products?&&&=&",
            "/api/storefront/products?q=" + "x".repeat(2_000), "/api/storefront/products?q=%F0%9F%98%80",
            "/api/storefront/products?" + "a=1&".repeat(50), "/api/storefront/products?q=%3Cscript%3E&q=2&q=1",
            "/api/storefront/products?limit=abc", "/api/storefront/products?limit=1000", "/api/storefront/products/%2e%2e",
            "/api/storefront/collections/x?limit=-1", "/api/storefront/products?after=%00%ff",
        };
        for (String target : targets) {
            for (int i = 0; i < 2; i++) {
                RawHttp.Response response = RawHttp.send(gateway.baseUrl(), "GET " + target + " HTTP/1.1\r\nHost: " + hostA
                        + "\r\nConnection: close\r\n\r\n");
                assertTrue(response.status() < 500, target + ": " + response.head());
            }
        }
        Response cached = shopper(hostA).get("/api/storefront/products/hit-me");
        cached.then().statusCode(200);
        for (String ifNoneMatch : List.of("\"x\", ".repeat(900) + cached.header("ETag"), "garbage", "W/", "\"", ",,,")) {
            shopper(hostA).header("If-None-Match", ifNoneMatch).get("/api/storefront/products/hit-me").then().statusCode(200)
                    .body("handle", equalTo("hit-me"));
        }
        for (int i = 0; i < 400; i++) {
            int status = shopper(hostB).get("/api/storefront/products?q=k" + i + "&p" + (i % 7) + "=" + i).statusCode();
            assertTrue(status < 500, "status " + status);
        }
        Map<String, Object> view = edgeView(idB);
        assertTrue(((Number) view.get("bytes")).longValue() <= MAX_BYTES, "the gateway within its budget: " + view);
        assertTrue(((Number) ((Map<?, ?>) view.get("tenant")).get("bytes")).longValue() <= TENANT_MAX_BYTES, "shop B within its share: " + view);
        assertEquals(MAX_BYTES, ((Number) view.get("maxBytes")).longValue());
    }

    /** Restarts the cell with other edge caching settings and waits until it serves through the gateway. */
    static void restartCell(String maxAge, String staleWhileRevalidate) {
        cell.stop();
        cell = cell.with("STOREFRONT_EDGE_MAX_AGE", maxAge).with("STOREFRONT_EDGE_STALE_WHILE_REVALIDATE", staleWhileRevalidate).start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                shopper(hostB).get("/api/storefront/shop?after-restart=" + UUID.randomUUID()).then().statusCode(200));
    }

    @Test
    @Order(8)
    void aStaleAnswerIsServedWhileOneBackgroundRefreshRuns() {
        restartCell("1", "60");
        product(hostB, tokenB, "refresh-me", "Refresh me", 800);
        shopper(hostB).get("/api/storefront/products/refresh-me").then().statusCode(200).header("X-Cache", "MISS");
        double refreshes = metric(gateway, "gateway_edge_upstream_fetches_total", "reason", "refresh");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                "STALE".equals(shopper(hostB).get("/api/storefront/products/refresh-me").header("X-Cache")));
        // the refresh (a 304 from the cell: same content) makes the entry fresh again
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                shopper(hostB).get("/api/storefront/products/refresh-me").then().header("X-Cache", "HIT").header("Age", "0"));
        assertTrue(metric(gateway, "gateway_edge_upstream_fetches_total", "reason", "refresh") > refreshes);
    }

    @Test
    @Order(9)
    void aStaleEntryIsRevalidatedAndServedWhileTheCellIsDown() throws Exception {
        // answers fresh for 1 s and no stale-while-revalidate: past a second, the entry is revalidated with the
        // cell, and while the cell is down only stale-if-error serves it
        restartCell("1", "0");
        product(hostB, tokenB, "still-here", "Still here", 700);
        shopper(hostB).get("/api/storefront/products/still-here").then().statusCode(200).header("X-Cache", "MISS")
                .header("Cache-Control", "public, max-age=0, s-maxage=1, stale-while-revalidate=0, stale-if-error=300");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                shopper(hostB).get("/api/storefront/products/still-here").then().statusCode(200)
                        .header("X-Cache", "REVALIDATED").body("title", equalTo("Still here")));
        cell.stop();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                shopper(hostB).get("/api/storefront/products/still-here").then().statusCode(200).header("X-Cache", "STALE")
                        .body("title", equalTo("Still here")));
        Response stale = shopper(hostB).get("/api/storefront/products/still-here");
        assertTrue(Long.parseLong(stale.header("Age")) >= 1, "Age " + stale.header("Age"));
        assertNotEquals(0.0, metric(gateway, "gateway_edge_stale_on_error_total", "cause", "failure")
                + metric(gateway, "gateway_edge_stale_on_error_total", "cause", "5xx"));
        // what was never cached fails fast, as before
        shopper(hostB).get("/api/storefront/products/never-cached").then().statusCode(oneOf(502, 503, 504));
    }
}
