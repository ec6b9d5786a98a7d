package orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.Problem;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * Stock holds: off by default; while a shop has them on, a cart line takes its stock out of sale (adding more than is
 * left is refused and changes nothing), gives it back when it shrinks or goes, and its checkout takes only what the cart
 * does not hold already; a hold left alone past the shop's hold time returns to stock by itself, and only that shop's.
 * Stock and holds are read from the database.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class StockHoldsIT {

    static Shop shop;
    static Shop other;
    static String token;
    static String otherToken;

    @BeforeEach
    void shops() {
        if (shop == null) {
            shop = Shops.create("cell1", "holds");
            token = Shops.ownerToken(shop);
            other = Shops.create("cell1", "holds-other");
            otherToken = Shops.ownerToken(other);
        }
    }

    @Test
    void holdsAreOffUntilTheMerchantSetsAValidHoldTime() throws SQLException {
        Catalogs.admin(shop, token).get("/api/admin/stock-holds").then().statusCode(200).body("holdSeconds", equalTo(0));
        for (String body : new String[] {"{\"holdSeconds\": -1}", "{\"holdSeconds\": 3601}", "{}", "{\"holdSeconds\": \"soon\"}"}) {
            Catalogs.admin(shop, token).contentType(ContentType.JSON).body(body).put("/api/admin/stock-holds").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("holdSeconds"));
        }
        given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("holdSeconds", 60))
                .put("/api/admin/stock-holds").then().statusCode(401);
        Catalogs.admin(shop, token).get("/api/admin/stock-holds").then().statusCode(200).body("holdSeconds", equalTo(0));

        // off: a cart takes nothing from stock
        String variant = product(shop, token, 5);
        String cart = cart(shop);
        add(shop, cart, variant, 3).then().statusCode(200);
        assertEquals(5, stock(shop, variant));
        assertEquals(0, held(shop, cart, variant));
    }

    @Test
    void aCartHoldsItsLinesStockAndItsCheckoutTakesNoMore() throws SQLException {
        String variant = product(other, otherToken, 5);
        holdSeconds(other, otherToken, 600);
        String first = cart(other);
        String second = cart(other);

        add(other, first, variant, 3).then().statusCode(200).body("lines[0].quantity", equalTo(3));
        assertEquals(2, stock(other, variant));
        assertEquals(3, held(other, first, variant));
        // more than is left: refused, and the cart and the stock are as they were
        add(other, second, variant, 3).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Out of stock")).body("errors.field", hasItem("quantity"));
        shopper(other).get("/api/storefront/carts/" + second).then().statusCode(200).body("lines", hasSize(0));
        assertEquals(2, stock(other, variant));
        add(other, second, variant, 2).then().statusCode(200);
        assertEquals(0, stock(other, variant));

        // a line that shrinks or goes gives its stock back
        shopper(other).body(Map.of("quantity", 1)).put("/api/storefront/carts/" + first + "/lines/" + variant).then().statusCode(200);
        assertEquals(2, stock(other, variant));
        assertEquals(1, held(other, first, variant));
        shopper(other).body(Map.of("quantity", 4)).put("/api/storefront/carts/" + first + "/lines/" + variant).then().statusCode(409)
                .body("errors.field", hasItem("quantity"));
        assertEquals(1, held(other, first, variant));
        shopper(other).delete("/api/storefront/carts/" + first + "/lines/" + variant).then().statusCode(200);
        assertEquals(3, stock(other, variant));

        // the checkout takes what the cart holds, nothing more from stock
        Response order = checkout(other, second);
        assertEquals(201, order.statusCode(), order.asString());
        order.then().body("lines[0].quantity", equalTo(2));
        assertEquals(3, stock(other, variant));
        holdSeconds(other, otherToken, 0);
    }

    @Test
    void aLapsedHoldReturnsToStockAndOnlyThatShopsStock() throws SQLException {
        String variant = product(shop, token, 4);
        String otherVariant = product(other, otherToken, 4);
        holdSeconds(other, otherToken, 600);
        String otherCart = cart(other);
        add(other, otherCart, otherVariant, 2).then().statusCode(200);
        holdSeconds(other, otherToken, 0);
        holdSeconds(shop, token, 1);
        String cart = cart(shop);
        add(shop, cart, variant, 4).then().statusCode(200);
        assertEquals(0, stock(shop, variant));

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> stock(shop, variant) == 4);
        assertEquals(0, held(shop, cart, variant));
        // the other shop's hold (600 s) stays where it is, holds off or not
        assertEquals(2, stock(other, otherVariant));
        assertEquals(2, held(other, otherCart, otherVariant));

        // the cart keeps its line; its checkout now takes the stock again
        holdSeconds(shop, token, 0);
        Response order = checkout(shop, cart);
        assertEquals(201, order.statusCode(), order.asString());
        assertEquals(0, stock(shop, variant));
        // and a checkout of the other shop's cart, holds off by now, claims its hold
        Response otherOrder = checkout(other, otherCart);
        assertEquals(201, otherOrder.statusCode(), otherOrder.asString());
        assertEquals(2, stock(other, otherVariant));
    }

    @Test
    void aWaitingRoomDoesNotTellACartHoldingTheLastUnitsThatTheyAreSoldOut() throws SQLException {
        Shop sale = Shops.create("cell1", "holds-sale");
        String staff = Shops.ownerToken(sale);
        String variant = product(sale, staff, 1);
        holdSeconds(sale, staff, 600);
        Catalogs.admin(sale, staff).contentType(ContentType.JSON).body(Map.of("enabled", true, "admitPerSecond", 50))
                .put("/api/admin/waiting-room").then().statusCode(200);
        String cart = cart(sale);
        add(sale, cart, variant, 1).then().statusCode(200);
        assertEquals(0, stock(sale, variant));
        // the stock left is 0, but this cart holds the unit: admitted, and its order placed
        Response order = checkout(sale, cart);
        assertEquals(201, order.statusCode(), order.asString());
        assertEquals(0, stock(sale, variant));
        // another shopper's cart cannot take it: refused when added
        add(sale, cart(sale), variant, 1).then().statusCode(409).body("title", equalTo("Out of stock"));
    }

    static String product(Shop s, String staff, int stock) {
        return Catalogs.product(s, staff, "hold-" + UUID.randomUUID().toString().substring(0, 8), "EUR",
                new Object[] {"h", 1000, stock}).getString("variants[0].id");
    }

    static void holdSeconds(Shop s, String staff, int seconds) {
        Catalogs.admin(s, staff).contentType(ContentType.JSON).body(Map.of("holdSeconds", seconds)).put("/api/admin/stock-holds")
                .then().statusCode(200).body("holdSeconds", equalTo(seconds));
    }

    static RequestSpecification shopper(Shop s) {
        return given().header("Host", s.host()).contentType(ContentType.JSON);
    }

    static String cart(Shop s) {
        return shopper(s).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
    }

    static Response add(Shop s, String cart, String variant, int quantity) {
        return shopper(s).body(Map.of("variantId", variant, "quantity", quantity)).post("/api/storefront/carts/" + cart + "/lines");
    }

    static Response checkout(Shop s, String cart) {
        return shopper(s).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("cartId", cart, "email", "holder@example.com")).post("/api/storefront/checkouts");
    }

    /** The variant's stock level in the database. */
    static int stock(Shop s, String variant) throws SQLException {
        return read(s, "select available from catalog_inventory where variant_id = ?", UUID.fromString(variant));
    }

    /** What the cart's line for the variant holds in the database (0 without such a line). */
    static int held(Shop s, String cart, String variant) throws SQLException {
        return read(s, "select coalesce((select held from orders_cart_line where cart_id = ? and variant_id = ?), 0)",
                UUID.fromString(cart), UUID.fromString(variant));
    }

    private static int read(Shop s, String sql, Object... parameters) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, s.tenantId());
            try (PreparedStatement select = db.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    select.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                } finally {
                    db.rollback();
                }
            }
        }
    }
}
