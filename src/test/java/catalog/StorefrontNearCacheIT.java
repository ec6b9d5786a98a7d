package catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Management;
import testsupport.Metrics;
import testsupport.RedisCommands;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * The cell's near cache (ADR 0014): hot storefront reads answered from the node's memory without a
 * call to Redis, changes seen at once on the node that made them and within the staleness bound
 * (1 s by default) when made on another node, reads answered from PostgreSQL while Redis is frozen,
 * one database load for many concurrent misses, and no answer of one shop ever given to another.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class StorefrontNearCacheIT {

    /** The default staleness bound, and what a request may add to it on a busy test machine. */
    static final Duration BOUND = Duration.ofSeconds(1);
    static final Duration BOUND_AND_A_REQUEST = BOUND.plusMillis(500);

    static Shop shop;
    static String token;

    @BeforeEach
    void shop() {
        if (shop == null) {
            shop = Shops.create("cell1", "nearcache");
            token = Shops.ownerToken(shop);
        }
    }

    private static Response read(Shop shop, String handle) {
        return given().header("Host", shop.host()).get("/api/storefront/products/" + handle).then().statusCode(200)
                .extract().response();
    }

    /** Reads until the answer comes from the node's memory (the first read loads it, the next ones find it). */
    private static void untilNear(Shop shop, String handle) {
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> "near".equals(read(shop, handle).header("X-Cache-Tier")));
    }

    private static double metric(String name) {
        return Metrics.total(Management.url(), name);
    }

    private static long price(Response answer) {
        return answer.jsonPath().getLong("variants[0].priceMinor");
    }

    @Test
    void hotReadsAreAnsweredFromMemoryWithoutCallingRedis() {
        Catalogs.product(shop, token, "hot", "EUR", new Object[] {"h", 1500, 3});
        Response first = read(shop, "hot");
        assertEquals("miss", first.header("X-Cache"));
        assertEquals("database", first.header("X-Cache-Tier"));
        untilNear(shop, "hot");

        double redisReads = metric("storefront_cache_redis_reads_total");
        double nearHits = Metrics.byTag(Management.url(), "storefront_cache_hits_total", "tier").getOrDefault("near", 0.0);
        int reads = 50;
        int near = 0;
        for (int i = 0; i < reads; i++) {
            Response answer = read(shop, "hot");
            assertEquals("hit", answer.header("X-Cache"));
            assertEquals(1500, price(answer));
            near += "near".equals(answer.header("X-Cache-Tier")) ? 1 : 0;
        }
        // every answer that was not from memory made exactly one Redis round trip (re-confirming the version
        // once the bound had passed); the answers from memory made none
        assertEquals(reads - near, metric("storefront_cache_redis_reads_total") - redisReads, 0.0);
        assertTrue(near >= reads / 2, near + " of " + reads + " hot reads from memory");
        assertEquals(near, Metrics.byTag(Management.url(), "storefront_cache_hits_total", "tier").get("near") - nearHits, 0.0);
    }

    @Test
    void aChangeMadeOnAnotherNodeIsSeenWithinTheStalenessBound() throws Exception {
        Catalogs.product(shop, token, "elsewhere", "EUR", new Object[] {"e", 1000, 3});
        String versionKey = "sf:{" + shop.tenantId() + "}:catalog-version";

        // another node changes the price and publishes the tenant's new version, as its invalidation does
        untilNear(shop, "elsewhere");
        setPrice(shop.tenantId(), "elsewhere", 1100);
        String version = RedisCommands.run("INCR", versionKey);
        RedisCommands.run("PUBLISH", "sf:versions", shop.tenantId() + " " + version);
        await().atMost(BOUND_AND_A_REQUEST).pollInterval(Duration.ofMillis(10))
                .until(() -> price(read(shop, "elsewhere")) == 1100);

        // the message is lost: the node still learns the new version within the bound (it re-confirms the version)
        untilNear(shop, "elsewhere");
        setPrice(shop.tenantId(), "elsewhere", 1200);
        RedisCommands.run("INCR", versionKey);
        await().atMost(BOUND_AND_A_REQUEST).pollInterval(Duration.ofMillis(10))
                .until(() -> price(read(shop, "elsewhere")) == 1200);
        read(shop, "elsewhere").then().body("variants[0].priceMinor", equalTo(1200));
    }

    @Test
    void scriptsForgottenByRedisAreLoadedAgain() {
        Catalogs.product(shop, token, "scripted", "EUR", new Object[] {"x", 700, 3});
        untilNear(shop, "scripted");
        double fallbacks = metric("storefront_cache_fallbacks_total");
        RedisCommands.run("SCRIPT", "FLUSH");
        // another node's change: the next read must ask Redis, whose script cache is empty (as after a restart)
        String version = RedisCommands.run("INCR", "sf:{" + shop.tenantId() + "}:catalog-version");
        RedisCommands.run("PUBLISH", "sf:versions", shop.tenantId() + " " + version);
        await().atMost(BOUND_AND_A_REQUEST).pollInterval(Duration.ofMillis(10))
                .until(() -> "miss".equals(read(shop, "scripted").header("X-Cache")));
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> "hit".equals(read(shop, "scripted").header("X-Cache")));
        assertEquals(fallbacks, metric("storefront_cache_fallbacks_total"), 0.0, "no read fell back to PostgreSQL");
    }

    /** Changes a price in the database directly, as a change committed by another node of the cell. */
    private static void setPrice(UUID tenant, String handle, long price) throws Exception {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, tenant);
            try (PreparedStatement update = db.prepareStatement("update catalog_variant v set price_minor = ? from catalog_product p"
                    + " where v.tenant_id = ? and p.tenant_id = v.tenant_id and p.product_id = v.product_id and p.handle = ?")) {
                update.setLong(1, price);
                update.setObject(2, tenant);
                update.setString(3, handle);
                assertEquals(1, update.executeUpdate());
            }
            db.commit();
        }
    }

    @Test
    void aReadAfterAChangeOnThisNodeNeverShowsTheOldPrice() {
        String variant = Catalogs.product(shop, token, "repriced", "EUR", new Object[] {"r", 2000, 3}).getString("variants[0].id");
        for (int i = 1; i <= 5; i++) {
            untilNear(shop, "repriced");
            long price = 2000 + i;
            Catalogs.admin(shop, token).body(Map.of("priceMinor", price)).put("/api/admin/variants/" + variant).then().statusCode(200);
            Response answer = read(shop, "repriced");
            assertEquals(price, price(answer), "the read right after the change returned");
            assertEquals("miss", answer.header("X-Cache"));
        }
    }

    @Test
    void whileRedisIsFrozenReadsAreAnsweredFromPostgresqlAndCounted() {
        String variant = Catalogs.product(shop, token, "frozen", "EUR", new Object[] {"f", 3000, 3}).getString("variants[0].id");
        untilNear(shop, "frozen");
        double fallbacks = metric("storefront_cache_fallbacks_total");
        long redis = Infra.redisPid();
        Infra.freeze(redis);
        try {
            // memory keeps answering for at most the bound; then every read needs Redis, which does not answer
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
                read(shop, "frozen").then().body("variants[0].priceMinor", equalTo(3000));
                return metric("storefront_cache_fallbacks_total") >= fallbacks + 3;
            });
            read(shop, "frozen").then().header("X-Cache", "miss").header("X-Cache-Tier", "database");
            // a change while Redis is frozen: its invalidation is deferred, the shop's reads bypass both tiers
            Catalogs.admin(shop, token).body(Map.of("priceMinor", 3100)).put("/api/admin/variants/" + variant).then().statusCode(200);
            read(shop, "frozen").then().body("variants[0].priceMinor", equalTo(3100)).header("X-Cache", "miss");
        } finally {
            Infra.thaw(redis);
        }
        Map<String, Double> reasons = Metrics.byTag(Management.url(), "storefront_cache_fallbacks_total", "reason");
        assertTrue(reasons.getOrDefault("timeout", 0.0) > 0, "fallbacks by reason: " + reasons);
        // Redis is back: the invalidation is replayed and the new price is cached again
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                read(shop, "frozen").then().header("X-Cache", "hit").body("variants[0].priceMinor", equalTo(3100)));
    }

    @Test
    void concurrentMissesOfOneEntryLoadItOnce() throws Exception {
        Catalogs.product(shop, token, "rush", "EUR", new Object[] {"u", 4000, 3});
        int readers = 8;
        double loads = metric("storefront_cache_loads_total");
        double coalesced = metric("storefront_cache_coalesced_total");
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<Future<Response>> answers = new ArrayList<>();
        // the first read's query waits for the table lock: the other reads arrive while it is loading
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement("lock table catalog_product in access exclusive mode")) {
                lock.execute();
            }
            for (int i = 0; i < readers; i++) {
                answers.add(pool.submit(() -> read(shop, "rush")));
            }
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(20))
                    .until(() -> metric("storefront_cache_coalesced_total") >= coalesced + readers - 1);
            db.rollback();
        } finally {
            pool.shutdown();
        }
        Set<String> tiers = new HashSet<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get(1, TimeUnit.MINUTES);
            assertEquals(4000, price(response));
            tiers.add(response.header("X-Cache-Tier"));
        }
        assertEquals(Set.of("database"), tiers);
        assertEquals(1, metric("storefront_cache_loads_total") - loads, 0.0, "database loads of " + readers + " concurrent misses");
        assertEquals(readers - 1, metric("storefront_cache_coalesced_total") - coalesced, 0.0);
    }

    @Test
    void identicalEntriesOfTwoShopsNeverCross() {
        Shop other = Shops.create("cell1", "nearcache2");
        String otherToken = Shops.ownerToken(other);
        Catalogs.product(shop, token, "same", "EUR", new Object[] {"s", 5000, 3});
        String theirId = Catalogs.product(other, otherToken, "same", "EUR", new Object[] {"s", 6000, 3}).getString("id");
        // the node answers from memory only once it trusts the shop's catalogue version again, which can take
        // a moment right after a change: read until both answers come from memory, then read them side by side
        untilNear(shop, "same");
        untilNear(other, "same");
        Set<String> myTiers = new HashSet<>();
        Set<String> theirTiers = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Response mine = read(shop, "same");
            Response theirs = read(other, "same");
            assertEquals(5000, price(mine));
            assertEquals(6000, price(theirs));
            myTiers.add(mine.header("X-Cache-Tier"));
            theirTiers.add(theirs.header("X-Cache-Tier"));
        }
        assertTrue(myTiers.contains("near") && theirTiers.contains("near"), "both shops' answers were in memory: "
                + myTiers + ", " + theirTiers);
        // a change of one shop invalidates its answers only
        Catalogs.admin(other, otherToken).body(Map.of("title", "Theirs")).put("/api/admin/products/" + theirId).then().statusCode(200);
        read(other, "same").then().body("title", equalTo("Theirs"));
        read(shop, "same").then().body("title", equalTo("Product same")).header("X-Cache", "hit");
    }
}
