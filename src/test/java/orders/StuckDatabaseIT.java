package orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.Problem;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * A statement that cannot finish (here: it waits for a row lock that a stuck transaction holds) is
 * cancelled by the database's lock timeout of its traffic class (checkout: 3 s) and answered 503
 * with Retry-After and a problem that says so, instead of holding a worker and a connection for as
 * long as the lock lives; nothing is half-written.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class StuckDatabaseIT {

    @Test
    void aCheckoutBehindAStuckLockIsAnswered503InBoundedTime() throws Exception {
        Shop shop = Shops.create("cell1", "stuck");
        String staff = Shops.ownerToken(shop);
        String variant = Catalogs.product(shop, staff, "lamp-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"l", 4000, 3}).getString("variants[0].id");
        String cart = given().header("Host", shop.host()).contentType(ContentType.JSON)
                .post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("variantId", variant, "quantity", 1)).post("/api/storefront/carts/" + cart + "/lines")
                .then().statusCode(200);

        try (Connection stuck = Infra.owner(Infra.TEST_CELL_DB)) {
            stuck.setAutoCommit(false);
            Infra.bindTenant(stuck, shop.tenantId());
            try (PreparedStatement lock = stuck.prepareStatement(
                    "select available from catalog_inventory where tenant_id = ?::uuid and variant_id = ?::uuid for update")) {
                lock.setString(1, shop.tenantId().toString());
                lock.setString(2, variant);
                lock.executeQuery().close();
            }
            given().header("Host", shop.host()).contentType(ContentType.JSON)
                    .body(Map.of("cartId", cart, "email", "lamp@example.com")).post("/api/storefront/checkouts")
                    .then().statusCode(503).contentType(Problem.MEDIA_TYPE).header("Retry-After", "1")
                    .body("title", equalTo("Data busy"))
                    .time(lessThan(20_000L), TimeUnit.MILLISECONDS);
            stuck.rollback();
        }
        // nothing was written by the cancelled checkout: the cart still checks out, with all stock there
        given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("cartId", cart, "email", "lamp@example.com")).post("/api/storefront/checkouts")
                .then().statusCode(201).body("totalMinor", equalTo(4000));
        try (Connection owner = Infra.owner(Infra.TEST_CELL_DB)) {
            owner.setAutoCommit(false);
            Infra.bindTenant(owner, shop.tenantId());
            try (PreparedStatement stock = owner.prepareStatement(
                    "select available from catalog_inventory where tenant_id = ?::uuid and variant_id = ?::uuid")) {
                stock.setString(1, shop.tenantId().toString());
                stock.setString(2, variant);
                try (var rows = stock.executeQuery()) {
                    rows.next();
                    assertEquals(2, rows.getInt(1), "one unit sold, by the second checkout only");
                }
            }
            owner.rollback();
        }
    }
}
