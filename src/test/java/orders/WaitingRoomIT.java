package orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A shop's waiting room: while the merchant has it on, checkouts are admitted in arrival order at its rate, the others
 * get a queue ticket (202, Retry-After, where to ask) and check out with it when their turn has come; a ticket is
 * refused for another cart, on another shop, or changed; when Redis cannot answer, the room refuses (503), never lets
 * checkouts through unqueued.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class WaitingRoomIT {

    static Shop shop;
    static Shop other;
    static String token;
    static String otherToken;
    static String variant;
    static String otherVariant;

    @BeforeEach
    void shops() {
        if (shop == null) {
            shop = Shops.create("cell1", "sale");
            token = Shops.ownerToken(shop);
            variant = Catalogs.product(shop, token, "drop", "EUR", new Object[] {"d", 2500, 1000}).getString("variants[0].id");
            other = Shops.create("cell1", "sale-other");
            otherToken = Shops.ownerToken(other);
            otherVariant = Catalogs.product(other, otherToken, "drop", "EUR", new Object[] {"o", 900, 1000}).getString("variants[0].id");
        }
    }

    @Test
    void checkoutsAreAdmittedInOrderAtTheRoomsRateAndATicketServesOnlyItsCartOnItsShop() {
        room(shop, token, Map.of("enabled", true, "admitPerSecond", 0)).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("admitPerSecond"));
        room(shop, token, Map.of("admitPerSecond", 5)).then().statusCode(400).body("errors.field", hasItem("enabled"));
        room(shop, token, Map.of("enabled", true, "admitPerSecond", 1)).then().statusCode(200)
                .body("enabled", equalTo(true)).body("admitPerSecond", equalTo(1));
        room(other, otherToken, Map.of("enabled", true, "admitPerSecond", 1)).then().statusCode(200);
        Catalogs.admin(shop, token).get("/api/admin/waiting-room").then().statusCode(200).body("enabled", equalTo(true));
        // no place in the queue for a cart that does not exist: its checkout answers at once
        checkout(shop, UUID.randomUUID().toString(), null).then().statusCode(404).contentType(Problem.MEDIA_TYPE);

        // six shoppers within moments: a quiet room admits the first at once, the others queue in arrival order
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            carts.add(cart(shop, variant));
        }
        List<Response> answers = new ArrayList<>();
        for (String cart : carts) {
            answers.add(checkout(shop, cart, null));
        }
        assertEquals(201, answers.get(0).statusCode(), answers.get(0).asString());
        List<Integer> waiting = new ArrayList<>();
        long lastPosition = 0;
        for (int i = 1; i < answers.size(); i++) {
            Response answer = answers.get(i);
            if (answer.statusCode() == 202) {
                answer.then().header("Retry-After", Integer::parseInt, org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                        .header("Location", org.hamcrest.Matchers.endsWith("/api/storefront/queue"))
                        .body("status", equalTo("waiting")).body("ticket", startsWith("wr2."));
                long position = answer.jsonPath().getLong("position");
                assertTrue(position > lastPosition || waiting.isEmpty(), "places follow the order of arrival");
                lastPosition = position;
                waiting.add(i);
            } else {
                assertEquals(201, answer.statusCode(), answer.asString());
            }
        }
        assertTrue(waiting.size() >= 2, "at one checkout a second, most of six wait: " + waiting);
        int first = waiting.get(0);
        int second = waiting.get(1);
        String ticket = answers.get(first).jsonPath().getString("ticket");
        String later = answers.get(second).jsonPath().getString("ticket");

        // a ticket serves its own cart on its own shop, unchanged
        checkout(shop, carts.get(second), ticket).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("Queue-Ticket"));
        checkout(other, cart(other, otherVariant), ticket).then().statusCode(400).body("errors.field", hasItem("Queue-Ticket"));
        String[] parts = ticket.split("\\.");
        String moved = String.join(".", parts[0], parts[1], parts[2], "1", parts[4], parts[5], parts[6]);
        checkout(shop, carts.get(first), moved).then().statusCode(400).body("errors.field", hasItem("Queue-Ticket"));
        given().header("Host", shop.host()).get("/api/storefront/queue").then().statusCode(400)
                .body("errors.field", hasItem("Queue-Ticket"));
        // a ticket's status is the shopper's own: never kept by a shared cache
        given().header("Host", shop.host()).header("Queue-Ticket", later).get("/api/storefront/queue").then().statusCode(200)
                .header("Cache-Control", "no-store").body("ticket", equalTo(later));

        // its turn comes in order: the earlier ticket is admitted before the later one, then checks out once
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> "admitted".equals(status(ticket)));
        Response done = checkout(shop, carts.get(first), ticket);
        assertEquals(201, done.statusCode(), done.asString());
        checkout(shop, carts.get(first), ticket).then().statusCode(404); // the cart is consumed: no second order
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> "admitted".equals(status(later)));
        checkout(shop, carts.get(second), later).then().statusCode(201);

        // the merchant turns the room off after the sale: checkouts pass at once again
        room(shop, token, Map.of("enabled", false, "admitPerSecond", 1)).then().statusCode(200).body("enabled", equalTo(false));
        checkout(shop, cart(shop, variant), null).then().statusCode(201);
        room(other, otherToken, Map.of("enabled", false, "admitPerSecond", 1)).then().statusCode(200);
    }

    @Test
    void shoppersOfASoldOutCartAreToldSoWithoutBeingAdmittedToFindOut() {
        Shop drop = Shops.create("cell1", "sale-drop");
        String dropToken = Shops.ownerToken(drop);
        String last = Catalogs.product(drop, dropToken, "last", "EUR", new Object[] {"l", 100, 1}).getString("variants[0].id");
        room(drop, dropToken, Map.of("enabled", true, "admitPerSecond", 1)).then().statusCode(200);
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            carts.add(cart(drop, last));
        }
        checkout(drop, carts.get(0), null).then().statusCode(201); // the only unit
        String ticket = null;
        String ticketCart = null;
        for (String cart : carts.subList(1, carts.size())) {
            Response answer = checkout(drop, cart, null);
            // a waiting place while the node still counts the unit in stock (at most a second), else sold out at the door
            assertTrue(answer.statusCode() == 202 || answer.statusCode() == 409, answer.asString());
            if (answer.statusCode() == 202) {
                ticket = answer.jsonPath().getString("ticket");
                ticketCart = cart;
            }
        }
        if (ticket != null) {
            // the last of the queue learns it in about a second, long before its turn would come
            String waiting = ticket;
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> "sold_out".equals(
                    given().header("Host", drop.host()).header("Queue-Ticket", waiting).get("/api/storefront/queue").then()
                            .statusCode(200).extract().path("status")));
            checkout(drop, ticketCart, ticket).then().statusCode(409);
        }
        String latecomer = cart(drop, last);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> checkout(drop, latecomer, null).statusCode() == 409);
        checkout(drop, latecomer, null).then().statusCode(409).contentType(Problem.MEDIA_TYPE).body("title", equalTo("Sold out"))
                .body("errors.field", hasItem("lines[" + last + "]"));
        Catalogs.admin(drop, dropToken).get("/api/admin/orders").then().statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void aRoomTurnsItselfOnWhenCheckoutsComeFasterThanItAdmitsThemUnlessTheMerchantSaysNot() {
        Shop rush = Shops.create("cell1", "sale-rush");
        String rushToken = Shops.ownerToken(rush);
        String variant = Catalogs.product(rush, rushToken, "rush", "EUR", new Object[] {"r", 100, 1000}).getString("variants[0].id");
        // off, turning itself on (the default), one checkout admitted a second
        room(rush, rushToken, Map.of("enabled", false, "admitPerSecond", 1)).then().statusCode(200)
                .body("automatic", equalTo(true)).body("on", equalTo("off"));
        // checkouts one after the other: two within one second turn the room on, and a later one gets a ticket
        Response waiting = null;
        for (int i = 0; i < 30 && waiting == null; i++) {
            Response answer = checkout(rush, cart(rush, variant), null);
            assertTrue(answer.statusCode() == 201 || answer.statusCode() == 202, answer.asString());
            if (answer.statusCode() == 202) {
                waiting = answer;
            }
        }
        assertTrue(waiting != null, "the room turned itself on");
        waiting.then().body("status", equalTo("waiting")).header("Retry-After", Integer::parseInt,
                org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        Catalogs.admin(rush, rushToken).get("/api/admin/waiting-room").then().statusCode(200)
                .body("enabled", equalTo(false)).body("on", equalTo("demand")).body("live", equalTo(true))
                .body("issued", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("sold", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        // the merchant says not to: the surge ends at once and checkouts pass again
        room(rush, rushToken, Map.of("enabled", false, "automatic", false, "admitPerSecond", 1)).then().statusCode(200)
                .body("automatic", equalTo(false)).body("on", equalTo("off"));
        for (int i = 0; i < 3; i++) {
            checkout(rush, cart(rush, variant), null).then().statusCode(201);
        }
        // a ticket handed out before is now simply admitted
        given().header("Host", rush.host()).header("Queue-Ticket", waiting.jsonPath().getString("ticket"))
                .get("/api/storefront/queue").then().statusCode(200).body("status", equalTo("admitted"));
    }

    @Test
    void withRedisFrozenARoomThatIsOnRefusesCheckoutsAndOneThatIsOffServesThem() {
        Shop quiet = Shops.create("cell1", "sale-quiet");
        String quietToken = Shops.ownerToken(quiet);
        String quietVariant = Catalogs.product(quiet, quietToken, "calm", "EUR", new Object[] {"c", 100, 10}).getString("variants[0].id");
        Shop busy = Shops.create("cell1", "sale-busy");
        String busyToken = Shops.ownerToken(busy);
        String busyVariant = Catalogs.product(busy, busyToken, "rush", "EUR", new Object[] {"r", 100, 10}).getString("variants[0].id");
        room(busy, busyToken, Map.of("enabled", true, "admitPerSecond", 100)).then().statusCode(200);
        String busyCart = cart(busy, busyVariant);
        String quietCart = cart(quiet, quietVariant);
        long redis = Infra.redisPid();
        Infra.freeze(redis);
        try {
            checkout(busy, busyCart, null).then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", Integer::parseInt, org.hamcrest.Matchers.greaterThanOrEqualTo(1));
            checkout(quiet, quietCart, null).then().statusCode(201);
        } finally {
            Infra.thaw(redis);
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> checkout(busy, busyCart, null).statusCode() == 201);
        room(busy, busyToken, Map.of("enabled", false, "admitPerSecond", 100)).then().statusCode(200);
    }

    private static Response room(Shop s, String t, Map<String, Object> body) {
        return Catalogs.admin(s, t).body(body).put("/api/admin/waiting-room");
    }

    private static String cart(Shop s, String v) {
        String cart = given().header("Host", s.host()).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        given().header("Host", s.host()).contentType(ContentType.JSON).body(Map.of("variantId", v, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        return cart;
    }

    private static Response checkout(Shop s, String cart, String ticket) {
        var request = given().header("Host", s.host()).contentType(ContentType.JSON)
                .header("Idempotency-Key", "wr-" + UUID.randomUUID());
        if (ticket != null) {
            request = request.header("Queue-Ticket", ticket);
        }
        return request.body(Map.of("cartId", cart, "email", "sale@example.com")).post("/api/storefront/checkouts");
    }

    private static String status(String ticket) {
        return given().header("Host", shop.host()).header("Queue-Ticket", ticket).get("/api/storefront/queue").then()
                .statusCode(200).extract().path("status");
    }
}
