package orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.Problem;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops.Shop;
import testsupport.Shops;

/** Carts and checkout: validation, idempotency, never overselling, and the merchant's order operations. */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class CheckoutIT {

    static Shop shop;
    static String token;

    @BeforeEach
    void shop() {
        if (shop == null) {
            shop = Shops.create("cell1", "checkout");
            token = Shops.ownerToken(shop);
        }
    }

    static RequestSpecification shopper() {
        return given().header("Host", shop.host()).contentType(ContentType.JSON);
    }

    /**
     * The storefront shows this stock level of the product's first variant within the stock staleness period
     * ({@code STOREFRONT_STOCK_STALENESS}, 1 s: checkouts invalidate a shop's cached answers at most once per period).
     */
    void stockShown(String handle, int available) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().header("Host", shop.host())
                .get("/api/storefront/products/" + handle).then().statusCode(200).body("variants[0].available", equalTo(available)));
    }

    static String cartWith(String variantId, int quantity) {
        String cart = shopper().post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        shopper().body(Map.of("variantId", variantId, "quantity", quantity)).post("/api/storefront/carts/" + cart + "/lines")
                .then().statusCode(200);
        return cart;
    }

    @Test
    void cartLinesAreValidated() {
        JsonPath eur = Catalogs.product(shop, token, "mug-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"m", 1200, 50});
        JsonPath usd = Catalogs.product(shop, token, "cap-" + UUID.randomUUID().toString().substring(0, 6), "USD",
                new Object[] {"c", 900, 50});
        String variant = eur.getString("variants[0].id");
        String cart = shopper().post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        String lines = "/api/storefront/carts/" + cart + "/lines";
        shopper().body(Map.of("variantId", variant, "quantity", 2)).post(lines).then().statusCode(200)
                .body("subtotalMinor", equalTo(2400)).body("currency", equalTo("EUR"));
        shopper().body(Map.of("variantId", variant, "quantity", 1)).post(lines).then().statusCode(200)
                .body("lines[0].quantity", equalTo(3));
        shopper().body(Map.of("variantId", usd.getString("variants[0].id"), "quantity", 1)).post(lines).then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("variantId"));
        shopper().body(Map.of("variantId", UUID.randomUUID().toString(), "quantity", 1)).post(lines).then()
                .statusCode(400).body("errors.field", hasItem("variantId"));
        shopper().body(Map.of("variantId", variant, "quantity", -1)).post(lines).then().statusCode(400)
                .body("errors.field", hasItem("quantity"));
        shopper().body(Map.of("variantId", variant, "quantity", 1_000_000)).post(lines).then().statusCode(400)
                .body("errors.field", hasItem("quantity"));
        shopper().body("{\"variantId\": \"not-a-uuid\", \"quantity\": 1}").post(lines).then().statusCode(400)
                .body("errors.field", hasItem("variantId"));
        shopper().body("{\"variantId\": \"" + variant + "\", \"quantity\": 1.5}").post(lines).then().statusCode(400)
                .body("errors.field", hasItem("quantity"));
        // quantities of one variant add up to at most 1,000: past that the line keeps what it had
        shopper().body(Map.of("variantId", variant, "quantity", 998)).post(lines).then().statusCode(400)
                .body("errors.field", hasItem("quantity"));
        shopper().get("/api/storefront/carts/" + cart).then().statusCode(200).body("lines[0].quantity", equalTo(3));
        shopper().body(Map.of("quantity", 4)).put(lines + "/" + variant).then().statusCode(200).body("lines[0].quantity", equalTo(4));
        shopper().body(Map.of("quantity", 4)).put(lines + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        shopper().delete(lines + "/" + variant).then().statusCode(200).body("lines", hasSize(0)).body("subtotalMinor", equalTo(0))
                .body("currency", equalTo(null));
        shopper().delete(lines + "/" + variant).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        // an emptied cart takes the currency of what is added next
        shopper().body(Map.of("variantId", usd.getString("variants[0].id"), "quantity", 1)).post(lines).then().statusCode(200)
                .body("currency", equalTo("USD")).body("subtotalMinor", equalTo(900));
        shopper().delete(lines + "/" + usd.getString("variants[0].id")).then().statusCode(200);
        shopper().get("/api/storefront/carts/" + UUID.randomUUID()).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        shopper().body(Map.of("variantId", UUID.randomUUID().toString(), "quantity", 1))
                .post("/api/storefront/carts/" + UUID.randomUUID() + "/lines").then().statusCode(404);
        shopper().body(Map.of("variantId", variant, "quantity", 1)).post("/api/storefront/carts/" + UUID.randomUUID() + "/lines")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        shopper().body(Map.of("cartId", cart, "email", "shopper@example.com")).post("/api/storefront/checkouts").then()
                .statusCode(409).contentType(Problem.MEDIA_TYPE);
        shopper().body(Map.of("cartId", cart, "email", "not an email")).post("/api/storefront/checkouts").then()
                .statusCode(400).body("errors.field", hasItem("email"));
    }

    @Test
    void aCheckoutChargesThePriceInTheDatabaseWhateverTheCacheSays() throws Exception {
        String handle = "lamp-" + UUID.randomUUID().toString().substring(0, 6);
        String variant = Catalogs.product(shop, token, handle, "EUR", new Object[] {"l", 1500, 10}).getString("variants[0].id");
        given().header("Host", shop.host()).get("/api/storefront/products/" + handle).then().statusCode(200);
        given().header("Host", shop.host()).get("/api/storefront/products/" + handle).then().statusCode(200)
                .header("X-Cache", "hit").body("variants[0].priceMinor", equalTo(1500));
        // the price changes behind the cache's back: no invalidation, the cached read is stale
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement update = db.prepareStatement("update catalog_variant set price_minor = 1700 where variant_id = ?")) {
                update.setObject(1, UUID.fromString(variant));
                assertEquals(1, update.executeUpdate());
            }
            db.commit();
        }
        given().header("Host", shop.host()).get("/api/storefront/products/" + handle).then().statusCode(200)
                .header("X-Cache", "hit").body("variants[0].priceMinor", equalTo(1500));
        // the cart and the order price from the database
        String cart = cartWith(variant, 2);
        shopper().get("/api/storefront/carts/" + cart).then().statusCode(200).body("subtotalMinor", equalTo(3400));
        shopper().header("Idempotency-Key", "stale-" + UUID.randomUUID())
                .body(Map.of("cartId", cart, "email", "stale@example.com")).post("/api/storefront/checkouts").then()
                .statusCode(201).body("totalMinor", equalTo(3400)).body("lines[0].unitPriceMinor", equalTo(1700));
    }

    @Test
    void repeatedCheckoutWithOneIdempotencyKeyCreatesOneOrder() {
        String variant = Catalogs.product(shop, token, "tee-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"t", 2500, 5}).getString("variants[0].id");
        String cart = cartWith(variant, 2);
        String key = "checkout-" + UUID.randomUUID();
        JsonPath first = shopper().header("Idempotency-Key", key)
                .body(Map.of("cartId", cart, "email", "Buyer@Example.com")).post("/api/storefront/checkouts").then()
                .statusCode(201).body("status", equalTo("placed")).body("totalMinor", equalTo(5000))
                .body("statusToken", startsWith("sfo_")).extract().jsonPath();
        // a replay of the same request gets the stored answer: same status, same body
        JsonPath again = shopper().header("Idempotency-Key", key)
                .body(Map.of("cartId", cart, "email", "Buyer@Example.com")).post("/api/storefront/checkouts").then()
                .statusCode(201).header("Idempotent-Replayed", "true").extract().jsonPath();
        assertEquals(first.getMap("$"), again.getMap("$"));
        stockShown(productHandleOf(variant), 3);
        // the shopper follows the order with its token; without it the order does not exist
        given().header("Host", shop.host()).header("Order-Token", first.getString("statusToken"))
                .get("/api/storefront/orders/" + first.getString("id")).then().statusCode(200)
                .body("email", equalTo("buyer@example.com")).body("lines", hasSize(1));
        given().header("Host", shop.host()).header("Order-Token", "sfo_wrong")
                .get("/api/storefront/orders/" + first.getString("id")).then().statusCode(404);
        shopper().header("Idempotency-Key", "x".repeat(101))
                .body(Map.of("cartId", cart, "email", "b@example.com")).post("/api/storefront/checkouts").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anIdempotencyKeyIsBoundToItsRequest() {
        String handle = "sock-" + UUID.randomUUID().toString().substring(0, 6);
        String variant = Catalogs.product(shop, token, handle, "EUR", new Object[] {"s", 700, 10}).getString("variants[0].id");
        String key = "bound-" + UUID.randomUUID();
        String email = "bound-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String first = shopper().header("Idempotency-Key", key).body(Map.of("cartId", cartWith(variant, 1), "email", email))
                .post("/api/storefront/checkouts").then().statusCode(201).extract().path("id");
        // the same key with another cart is refused and places no second order
        String other = cartWith(variant, 2);
        shopper().header("Idempotency-Key", key).body(Map.of("cartId", other, "email", email))
                .post("/api/storefront/checkouts").then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("Idempotency-Key"));
        // ... and so is the same cart with another email
        shopper().header("Idempotency-Key", key).body(Map.of("cartId", other, "email", "x" + email))
                .post("/api/storefront/checkouts").then().statusCode(422);
        shopper().get("/api/storefront/carts/" + other).then().statusCode(200).body("lines[0].quantity", equalTo(2));
        stockShown(handle, 9);
        Catalogs.admin(shop, token).queryParam("email", email).get("/api/admin/orders").then().statusCode(200)
                .body("items.id", equalTo(List.of(first)));
        // a request that failed leaves its key free: the key of an empty checkout places the order once fixed
        String empty = shopper().post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        String retryKey = "retry-" + UUID.randomUUID();
        shopper().header("Idempotency-Key", retryKey).body(Map.of("cartId", empty, "email", email))
                .post("/api/storefront/checkouts").then().statusCode(409);
        shopper().body(Map.of("variantId", variant, "quantity", 1)).post("/api/storefront/carts/" + empty + "/lines")
                .then().statusCode(200);
        shopper().header("Idempotency-Key", retryKey).body(Map.of("cartId", empty, "email", email))
                .post("/api/storefront/checkouts").then().statusCode(201).header("Idempotent-Replayed", nullValue());
    }

    @Test
    void concurrentRequestsWithOneKeyPlaceOneOrder() throws Exception {
        String variant = Catalogs.product(shop, token, "pen-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"p", 300, 100}).getString("variants[0].id");
        String cart = cartWith(variant, 1);
        String key = "race-" + UUID.randomUUID();
        String email = "race-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        int concurrent = 8;
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(URI.create(base + "/api/storefront/checkouts"))
                        .header("Host", shop.host()).header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"cartId\":\"" + cart + "\",\"email\":\"" + email + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }));
        }
        start.countDown();
        Set<String> orderIds = new HashSet<>();
        int placed = 0;
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 201) {
                orderIds.add(JsonPath.from(response.body()).getString("id"));
                if (response.headers().firstValue("Idempotent-Replayed").isEmpty()) {
                    placed++;
                }
            } else if (response.statusCode() == 409) {
                assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE));
                assertEquals("Idempotency-Key", JsonPath.from(response.body()).getString("errors[0].field"), response.body());
            } else {
                throw new AssertionError("unexpected status " + response.statusCode() + ": " + response.body());
            }
        }
        pool.shutdown();
        assertEquals(1, placed, "exactly one request placed the order");
        assertEquals(1, orderIds.size(), "replays answer with the same order: " + orderIds);
        Catalogs.admin(shop, token).queryParam("email", email).get("/api/admin/orders").then().statusCode(200)
                .body("items", hasSize(1));
    }

    /**
     * 200 shoppers, 64 at once, for 10 units: never more than 10 orders. Checkouts beyond what the
     * cell's bulkhead gives one shop (9 connections of the test pool, all waiting for the same stock
     * row) may be refused with 503 and Retry-After after their bounded wait (ADR 0017); every answer
     * is collected before anything is asserted, so that none is still running when the next test starts.
     */
    @Test
    void concurrentCheckoutsNeverOversell() throws Exception {
        String handle = "flash-" + UUID.randomUUID().toString().substring(0, 6);
        String variant = Catalogs.product(shop, token, handle, "EUR", new Object[] {"f", 1000, 10}).getString("variants[0].id");
        // the checkout itself, not the waiting room (WaitingRoomIT): this shop's room never turns itself on
        Catalogs.admin(shop, token).body(Map.of("enabled", false, "automatic", false, "admitPerSecond", 50))
                .put("/api/admin/waiting-room").then().statusCode(200);
        int shoppers = 200;
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < shoppers; i++) {
            carts.add(cartWith(variant, 1));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<HttpResponse<String>>> statuses = new ArrayList<>();
        for (String cart : carts) {
            statuses.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/api/storefront/checkouts"))
                    .header("Host", shop.host()).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "flash-" + cart)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"cartId\":\"" + cart + "\",\"email\":\"f@example.com\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString())));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> status : statuses) {
            answers.add(status.get());
        }
        pool.shutdown();
        int created = 0;
        int conflicts = 0;
        int refused = 0;
        for (HttpResponse<String> answer : answers) {
            int code = answer.statusCode();
            if (code == 201) {
                created++;
            } else if (code == 409) {
                conflicts++;
            } else if (code == 503 && answer.headers().firstValue("Retry-After").isPresent()
                    && answer.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE)) {
                refused++; // the bulkhead's answer to a shop over its share: nothing reserved
            } else {
                throw new AssertionError("unexpected status " + code + ": " + answer.body());
            }
        }
        assertTrue(created <= 10, created + " orders for 10 units");
        assertEquals(shoppers, created + conflicts + refused);
        assertTrue(created == 10 || refused > 0, "without refusals every unit sells");
        stockShown(handle, 10 - created);
    }

    @Test
    void merchantFulfilsCancelsAndRefunds() {
        String handle = "lamp-" + UUID.randomUUID().toString().substring(0, 6);
        String variant = Catalogs.product(shop, token, handle, "EUR", new Object[] {"l", 5000, 4}).getString("variants[0].id");
        String first = shopper().body(Map.of("cartId", cartWith(variant, 1), "email", "a@example.com"))
                .post("/api/storefront/checkouts").then().statusCode(201).extract().path("id");
        String second = shopper().body(Map.of("cartId", cartWith(variant, 2), "email", "b@example.com"))
                .post("/api/storefront/checkouts").then().statusCode(201).extract().path("id");
        Catalogs.admin(shop, token).get("/api/admin/orders").then().statusCode(200).body("items.id", hasItem(first));
        Catalogs.admin(shop, token).post("/api/admin/orders/" + first + "/fulfil").then().statusCode(200)
                .body("status", equalTo("fulfilled"));
        Catalogs.admin(shop, token).post("/api/admin/orders/" + first + "/cancel").then().statusCode(409)
                .contentType(Problem.MEDIA_TYPE);
        Catalogs.admin(shop, token).post("/api/admin/orders/" + first + "/refund").then().statusCode(200)
                .body("status", equalTo("refunded"));
        stockShown(handle, 1);
        Catalogs.admin(shop, token).post("/api/admin/orders/" + second + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        stockShown(handle, 3);
        Catalogs.admin(shop, token).queryParam("status", "cancelled").get("/api/admin/orders").then().statusCode(200)
                .body("items.id", hasItem(second));
        Catalogs.admin(shop, token).queryParam("status", "lost").get("/api/admin/orders").then().statusCode(400)
                .body("errors.field", hasItem("status"));
        Catalogs.admin(shop, token).post("/api/admin/orders/" + UUID.randomUUID() + "/fulfil").then().statusCode(404);
        given().header("Host", shop.host()).get("/api/admin/orders").then().statusCode(401);
    }

    private static String productHandleOf(String variantId) {
        return Catalogs.admin(shop, token).queryParam("limit", 200).get("/api/admin/products").then().extract().jsonPath()
                .getString("items.find { p -> p.variants.any { v -> v.id == '" + variantId + "' } }.handle");
    }
}
