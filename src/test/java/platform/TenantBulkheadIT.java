package platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Management;
import testsupport.Metrics;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * The cell's bulkheads on a real database: one shop whose checkouts all wait for a row lock holds
 * no more connections than its share, so another shop's requests are served at once; its requests
 * beyond the share wait a bounded time and are refused with 503 and {@code Retry-After}. And an
 * admin search (the report class) that runs longer than its statement timeout is stopped by PostgreSQL
 * and answered with a 503 problem saying so, not a 500. A shop whose admin searches keep running long is
 * held to its database time budget (429 with {@code Retry-After} once its turn is too far away), each
 * search in one database process, while another shop's admin is served.
 */
@QuarkusIntegrationTest
@TestProfile(BulkheadProfile.class)
class TenantBulkheadIT {

    /** What one tenant alone may hold of the default pool: (20 - 2 headroom) / 2. */
    static final int SHARE = 9;
    static final int CONCURRENT = 50;
    /** Products of the shop whose search is cut. */
    static final int BIG_CATALOGUE = 100_000;

    @Test
    void oneShopsStuckCheckoutsCannotMakeAnotherShopWaitForAConnection() throws Exception {
        Shop hot = Shops.create("cell1", "hot");
        Shop other = Shops.create("cell1", "other");
        String token = Shops.ownerToken(hot);
        String variant = Catalogs.product(hot, token, "drop-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"d", 2500, 100}).getString("variants[0].id");
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String cart = given().header("Host", hot.host()).contentType(ContentType.JSON).post("/api/storefront/carts")
                    .then().statusCode(201).extract().path("id");
            given().header("Host", hot.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                    .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
            carts.add(cart);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (Connection stuck = Infra.owner(Infra.TEST_CELL_DB)) {
            // every checkout of the hot shop waits for this row lock, holding its connection while it waits
            stuck.setAutoCommit(false);
            Infra.bindTenant(stuck, hot.tenantId());
            try (PreparedStatement lock = stuck.prepareStatement(
                    "select available from catalog_inventory where tenant_id = ?::uuid and variant_id = ?::uuid for update")) {
                lock.setString(1, hot.tenantId().toString());
                lock.setString(2, variant);
                lock.executeQuery().close();
            }
            for (String cart : carts) {
                answers.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/api/storefront/checkouts"))
                        .header("Host", hot.host()).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(90))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"cartId\":\"" + cart + "\",\"email\":\"hot@example.com\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString())));
            }
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> lockWaiters() == SHARE);

            // the other shop is served at once, by connections the hot shop could not take
            long started = System.nanoTime();
            given().header("Host", other.host()).contentType(ContentType.JSON).post("/api/storefront/carts")
                    .then().statusCode(201);
            given().header("Host", other.host()).get("/api/storefront/shop").then().statusCode(200);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMs < 3_000, "the other shop waited " + tookMs + " ms (the pool's acquisition timeout is 5 s)");
            assertEquals(SHARE, lockWaiters(), "the hot shop never holds more than its share");

            // the hot shop's checkouts beyond its share waited their bounded turn and were refused, 503 with Retry-After
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> answers.stream().filter(Future::isDone).count() == CONCURRENT - SHARE);
            assertEquals(SHARE, lockWaiters());
            stuck.rollback();
        } finally {
            pool.shutdown();
        }
        int placed = 0;
        int refused = 0;
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(2, TimeUnit.MINUTES);
            if (response.statusCode() == 201) {
                placed++;
            } else {
                assertEquals(503, response.statusCode(), response.body());
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null), response.body());
                assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE));
                assertEquals("Shop busy", JsonPath.from(response.body()).getString("title"), response.body());
                refused++;
            }
        }
        assertEquals(SHARE, placed, "the checkouts that held the shop's share went through once the lock was gone");
        assertEquals(CONCURRENT - SHARE, refused);
        assertTrue(waits("checkout", "tenant-limit") >= CONCURRENT - SHARE);

        // the operator's view names the shop that took the most database time
        JsonPath view = given().baseUri(Management.url()).get("/q/cell/bulkhead").then().statusCode(200).extract().jsonPath();
        assertEquals(hot.tenantId().toString(), view.getString("heaviestTenants[0].tenantId"));
        assertEquals(18, view.getInt("capacity"));
        // every permit was given back
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonPath now = given().baseUri(Management.url()).get("/q/cell/bulkhead").then().statusCode(200).extract().jsonPath();
            assertEquals(0, now.getInt("inFlight"), now.prettify());
            assertEquals(0, now.getInt("classes.checkout.waiting"), now.prettify());
        });
        given().header("Host", hot.host()).get("/q/cell/bulkhead").then().statusCode(404); // never on the public port
    }

    @Test
    void anAdminSearchCutByItsStatementTimeoutIsA503ThatSaysSo() throws Exception {
        Shop shop = Shops.create("cell1", "big");
        String token = Shops.ownerToken(shop);
        loadBigCatalogue(shop); // a search over it takes seconds: PostgreSQL stops it after 500 ms
        try {
            double before = timeouts("report", "statement");
            String search = "\u00e4".repeat(99) + "b";
            Catalogs.admin(shop, token).queryParam("q", search).get("/api/admin/products")
                    .then().statusCode(503)
                    .contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", "5")
                    .body("title", equalTo("Query took too long"))
                    .body("detail", containsString("The listing, search or report ran longer than the "
                            + BulkheadProfile.REPORT_STATEMENT_TIMEOUT.replace("ms", " ms") + " it may take"))
                    .body("instance", equalTo("/api/admin/products"));
            assertEquals(before + 1, timeouts("report", "statement"), 0.0);
            // the same shop's cheap requests are served as before: at once, or after the wait its database time
            // budget asks for (the search's half second, and what else the request took, is about all of its burst)
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                Response listing = Catalogs.admin(shop, token).queryParam("limit", 5).get("/api/admin/products");
                if (listing.statusCode() == 429) {
                    assertTrue(listing.header("Retry-After") != null, "a 429 says when to come back");
                }
                return listing.statusCode() == 200;
            });
        } finally {
            deleteCatalogue(shop);
        }
    }

    @Test
    void aShopsExpensiveAdminSearchesKeepToItsDatabaseTimeBudgetInOneProcessEach() throws Exception {
        Shop shop = Shops.create("cell1", "searching");
        String token = Shops.ownerToken(shop);
        Shop other = Shops.create("cell1", "other");
        String otherToken = Shops.ownerToken(other);
        loadBigCatalogue(shop);
        // while the searches run, count the database's parallel workers: none, each query stays in one process
        try (Peak parallelWorkers = new Peak("backend_type = 'parallel worker'")) {
            double throttledBefore = sample("cell_bulkhead_throttled_total", "report", "");
            String search = "\u00e4".repeat(99) + "b";
            // each search runs until the report class's statement timeout (500 ms) stops it: 5 s of the budget's time
            // at 0.1 s per second, of which 5 s (0.5 s of database time) may be used in advance; beyond a turn 1 s
            // away (the report class's longest wait), the shop's next search is answered 429
            Response throttled = null;
            for (int i = 0; i < 20 && throttled == null; i++) {
                Response answer = Catalogs.admin(shop, token).queryParam("q", search).get("/api/admin/products");
                assertTrue(answer.statusCode() == 503 || answer.statusCode() == 429, "search " + i + ": " + answer.statusCode());
                if (answer.statusCode() == 429) {
                    throttled = answer;
                }
            }
            long mostParallelWorkers = parallelWorkers.stop();
            assertTrue(throttled != null, "the shop's searches were throttled");
            throttled.then().contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", notNullValue())
                    .body("title", equalTo("Too many requests"))
                    .body("detail", containsString("report requests used more database time than the 0.1 s per second"));
            assertTrue(Integer.parseInt(throttled.header("Retry-After")) >= 1);
            assertEquals(throttledBefore + 1, sample("cell_bulkhead_throttled_total", "report", ""), 0.0);
            assertEquals(0, mostParallelWorkers, "parallel workers seen while the searches ran");
            // another shop's admin is not affected
            Catalogs.admin(other, otherToken).queryParam("q", "anything").get("/api/admin/products").then().statusCode(200);
        } finally {
            deleteCatalogue(shop);
        }
    }

    @Test
    void aShopsFirstSearchesSentAtOnceRunOneAtATimeUntilTheirCostIsKnown() throws Exception {
        Shop shop = Shops.create("cell1", "burst");
        String token = Shops.ownerToken(shop);
        loadBigCatalogue(shop);
        ExecutorService senders = Executors.newFixedThreadPool(6);
        // the searches in the database at once: never more than one, although the report class may hold two
        // connections and the shop's budget allows 0.5 s of database time in advance
        try (Peak searches = new Peak("state = 'active' and query ilike '%lower(%title%like%'")) {
            String search = "\u00e4".repeat(99) + "b";
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(senders.submit(() -> Catalogs.admin(shop, token).queryParam("q", search).get("/api/admin/products")));
            }
            Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
            for (Future<Response> answer : answers) {
                byStatus.merge(answer.get(60, TimeUnit.SECONDS).statusCode(), 1, Integer::sum);
            }
            long mostAtOnce = searches.stop();
            assertTrue(mostAtOnce >= 1, "the watcher saw the searches");
            assertEquals(1, mostAtOnce, "searches in the database at once; answers " + byStatus);
            // the first ran alone and was cut by the statement timeout; while it ran the others waited for it, and those
            // whose turn then came within the report class's longest wait ran one after the other, the rest got 429
            assertTrue(byStatus.getOrDefault(503, 0) >= 1, "answers " + byStatus);
            assertTrue(byStatus.getOrDefault(429, 0) >= 1, "answers " + byStatus);
            assertEquals(6, byStatus.getOrDefault(503, 0) + byStatus.getOrDefault(429, 0), "answers " + byStatus);
        } finally {
            senders.shutdownNow();
            deleteCatalogue(shop);
        }
    }

    /**
     * The highest count of the cell database's sessions (the watcher's own excluded) that match a condition on
     * pg_stat_activity, polled on a connection and a thread of its own from its start until {@link #stop}.
     */
    static final class Peak implements AutoCloseable {

        private final Connection app;
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong most = new AtomicLong();
        private final Future<?> polling;

        Peak(String condition) throws SQLException {
            app = Infra.app(Infra.TEST_CELL_DB);
            polling = thread.submit(() -> {
                try (PreparedStatement query = app.prepareStatement("select count(*) from pg_stat_activity where datname = ?"
                        + " and pid <> pg_backend_pid() and " + condition)) {
                    query.setString(1, Infra.TEST_CELL_DB);
                    while (running.get()) {
                        try (ResultSet rows = query.executeQuery()) {
                            rows.next();
                            most.accumulateAndGet(rows.getLong(1), Math::max);
                        }
                    }
                }
                return null;
            });
        }

        /** Stops polling (its failure, if any, thrown here) and gives the highest count seen. */
        long stop() throws Exception {
            running.set(false);
            polling.get(10, TimeUnit.SECONDS);
            return most.get();
        }

        @Override
        public void close() throws SQLException {
            running.set(false);
            thread.shutdownNow();
            app.close();
        }
    }

    /**
     * {@link #BIG_CATALOGUE} products whose titles make a contains-search expensive: every row is lower-cased and compared
     * at every position, some 40 us a row here, so a search takes seconds.
     */
    static void loadBigCatalogue(Shop shop) throws SQLException {
        withTenant(shop, owner -> {
            try (PreparedStatement insert = owner.prepareStatement("insert into catalog_product (tenant_id, product_id, handle,"
                    + " title, status) select ?::uuid, gen_random_uuid(), 'p-' || n, repeat('\u00c4', 255), 'active'"
                    + " from generate_series(1, " + BIG_CATALOGUE + ") n")) {
                insert.setString(1, shop.tenantId().toString());
                assertEquals(BIG_CATALOGUE, insert.executeUpdate());
            }
        });
    }

    static void deleteCatalogue(Shop shop) throws SQLException {
        withTenant(shop, owner -> {
            try (PreparedStatement delete = owner.prepareStatement("delete from catalog_product where tenant_id = ?::uuid")) {
                delete.setString(1, shop.tenantId().toString());
                delete.executeUpdate();
            }
        });
    }

    interface Work {
        void run(Connection connection) throws SQLException;
    }

    /** Runs work in a transaction of the owner role bound to the shop (row-level security), and commits it. */
    static void withTenant(Shop shop, Work work) throws SQLException {
        try (Connection owner = Infra.owner(Infra.TEST_CELL_DB)) {
            owner.setAutoCommit(false);
            Infra.bindTenant(owner, shop.tenantId());
            work.run(owner);
            owner.commit();
        }
    }

    /**
     * Sessions of the application waiting for a lock in the test cell database (seen as the application's
     * role: PostgreSQL shows what a session waits for only to its own role and to superusers).
     */
    static long lockWaiters() throws SQLException {
        try (Connection connection = Infra.app(Infra.TEST_CELL_DB);
             PreparedStatement query = connection.prepareStatement("select count(*) from pg_stat_activity where datname = ?"
                     + " and application_name like 'storefront-cell-%' and wait_event_type = 'Lock'")) {
            query.setString(1, Infra.TEST_CELL_DB);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static double waits(String trafficClass, String outcome) {
        return sample("cell_bulkhead_wait_seconds_count", trafficClass, "outcome=\"" + outcome + "\"");
    }

    static double timeouts(String trafficClass, String kind) {
        return sample("cell_bulkhead_timeouts_total", trafficClass, "kind=\"" + kind + "\"");
    }

    /** The sum of a metric's samples of one traffic class that carry another tag too. */
    static double sample(String metric, String trafficClass, String tag) {
        double sum = 0;
        for (String line : Metrics.scrape(Management.url()).lines().toList()) {
            if (line.startsWith(metric + "{") && line.contains("class=\"" + trafficClass + "\"") && line.contains(tag)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
