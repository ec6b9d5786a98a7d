package catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Management;
import testsupport.Metrics;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * A storefront cache that does not answer is never a silent miss: while the cell's Redis is frozen,
 * reads are served from PostgreSQL, every fallback is counted in
 * {@code storefront_cache_fallbacks_total{reason}} on the management interface, and the burst is
 * logged at WARN once, not once per request.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class StorefrontCacheFallbackIT {

    static final String METRIC = "storefront_cache_fallbacks_total";
    static final String WARNING = "Storefront cache read skipped, served from PostgreSQL";

    @Test
    void cacheFallbacksAreCountedAndABurstIsLoggedOnce() throws Exception {
        Shop shop = Shops.create("cell1", "cachefb");
        String token = Shops.ownerToken(shop);
        Catalogs.product(shop, token, "fallback", "EUR", new Object[] {"f", 100, 1});
        given().header("Host", shop.host()).get("/api/storefront/products/fallback").then().statusCode(200);
        double before = Metrics.total(Management.url(), METRIC);
        long warningsBefore = warnings();

        long redis = Infra.redisPid();
        Infra.freeze(redis);
        try {
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                given().header("Host", shop.host()).get("/api/storefront/products/fallback").then().statusCode(200)
                        .body("handle", equalTo("fallback"));
                return Metrics.total(Management.url(), METRIC) >= before + 20;
            });
        } finally {
            Infra.thaw(redis);
        }
        Map<String, Double> reasons = Metrics.byTag(Management.url(), METRIC, "reason");
        assertTrue(reasons.getOrDefault("timeout", 0.0) > 0, "fallbacks by reason: " + reasons);
        long logged = warnings() - warningsBefore;
        assertTrue(logged <= 1, logged + " warnings for one burst of fallbacks");
        assertTrue(warnings() >= 1, "the cache's fallbacks are logged at WARN");
    }

    /** WARN lines of the cache's fallbacks in the application's log. */
    private static long warnings() throws Exception {
        return Files.readString(Path.of("target/quarkus.log")).lines()
                .filter(line -> line.contains(" WARN ") && line.contains("Storefront cache")
                        && line.contains("counted in storefront.cache.fallbacks"))
                .count();
    }
}
