package orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * Abandoned carts are deleted with their lines once neither created nor changed for the retention (30 days), on every
 * shop of the cell; a recent cart, and an old one whose line still holds stock, stay. Ages are set in the database.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class CartRetentionIT {

    @Test
    void cartsLeftAloneLongerThanTheRetentionGoWithTheirLines() throws SQLException {
        Shop shop = Shops.create("cell1", "carts");
        Shop other = Shops.create("cell1", "carts-other");
        String token = Shops.ownerToken(shop);
        String otherToken = Shops.ownerToken(other);
        String variant = Catalogs.product(shop, token, "kept", "EUR", new Object[] {"k", 500, 100}).getString("variants[0].id");
        String otherVariant = Catalogs.product(other, otherToken, "kept", "EUR", new Object[] {"k", 500, 100}).getString("variants[0].id");

        String abandoned = cart(shop, variant);
        String otherAbandoned = cart(other, otherVariant);
        String recent = cart(shop, variant);
        String holding = cart(shop, variant);
        age(shop, abandoned, Duration.ofDays(40), 0);
        age(other, otherAbandoned, Duration.ofDays(31), 0);
        age(shop, recent, Duration.ofDays(40), -1); // created long ago, changed a day ago
        age(shop, holding, Duration.ofDays(40), 1); // its line still holds a unit

        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> count(shop, "orders_cart", abandoned) == 0 && count(other, "orders_cart", otherAbandoned) == 0);
        assertEquals(0, count(shop, "orders_cart_line", abandoned), "the lines go with their cart");
        assertEquals(0, count(other, "orders_cart_line", otherAbandoned));
        given().header("Host", shop.host()).get("/api/storefront/carts/" + abandoned).then().statusCode(404);
        assertEquals(1, count(shop, "orders_cart", recent), "a cart changed within the retention stays");
        assertEquals(1, count(shop, "orders_cart_line", recent));
        assertEquals(1, count(shop, "orders_cart", holding), "a cart whose line holds stock stays");
        given().header("Host", shop.host()).get("/api/storefront/carts/" + recent).then().statusCode(200);
    }

    static String cart(Shop s, String variant) {
        String cart = given().header("Host", s.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", s.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        return cart;
    }

    /**
     * Makes a cart created {@code age} ago, last changed then too (or a day ago: {@code held} -1), and its line holding
     * {@code held} units for an hour more (0: none).
     */
    static void age(Shop s, String cart, Duration age, int held) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, s.tenantId());
            try (PreparedStatement update = db.prepareStatement("update orders_cart set created_at = now() - make_interval(secs => ?),"
                    + " updated_at = case when ? < 0 then now() - interval '1 day' else now() - make_interval(secs => ?) end"
                    + " where cart_id = ?")) {
                update.setDouble(1, age.toSeconds());
                update.setInt(2, held);
                update.setDouble(3, age.toSeconds());
                update.setObject(4, UUID.fromString(cart));
                assertEquals(1, update.executeUpdate());
            }
            if (held > 0) {
                try (PreparedStatement hold = db.prepareStatement("update orders_cart_line set held = ?,"
                        + " held_until = now() + interval '1 hour' where cart_id = ?")) {
                    hold.setInt(1, held);
                    hold.setObject(2, UUID.fromString(cart));
                    assertEquals(1, hold.executeUpdate());
                }
            }
            db.commit();
        }
    }

    static long count(Shop s, String table, String cart) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, s.tenantId());
            try (PreparedStatement select = db.prepareStatement("select count(*) from " + table + " where cart_id = ?")) {
                select.setObject(1, UUID.fromString(cart));
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                } finally {
                    db.rollback();
                }
            }
        }
    }
}
