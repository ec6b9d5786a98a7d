package orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * A shopper's data requests answered by the shop's owner: everything the shop holds about one customer, found by
 * email whatever its case; the customer's redaction keeps the orders (and the shop's sales) without the person; other
 * customers, and other shops' customers with the same email, are untouched; only the owner may do either.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class CustomerPrivacyIT {

    @Test
    void theOwnerExportsAndRedactsOneCustomer() {
        Shop shop = Shops.create("cell1", "privacy");
        Shop other = Shops.create("cell1", "privacy-other");
        String token = Shops.ownerToken(shop);
        String otherToken = Shops.ownerToken(other);
        String variant = Catalogs.product(shop, token, "scarf", "EUR", new Object[] {"s-1", 2000, 50}).getString("variants[0].id");
        String otherVariant = Catalogs.product(other, otherToken, "scarf", "EUR", new Object[] {"s-1", 2000, 50}).getString("variants[0].id");
        JsonPath first = order(shop, variant, "Ada@Example.com");
        order(shop, variant, "ada@example.com");
        JsonPath someoneElse = order(shop, variant, "bob@example.com");
        order(other, otherVariant, "ada@example.com");

        JsonPath data = admin(shop, token).queryParam("email", "ADA@example.COM").get("/api/admin/customers/data").then().statusCode(200)
                .header("Content-Disposition", startsWith("attachment")).extract().jsonPath();
        assertEquals("ada@example.com", data.getString("email"));
        assertEquals(2, data.getInt("customer.orders"));
        assertEquals(2, data.getList("orders").size());
        assertTrue(data.getString("orders[0].lines[0].sku").startsWith("s-1"), data.prettify());
        assertEquals(4000, data.getLong("customer.spentMinor"));

        String clerk = Shops.clerkToken(shop);
        admin(shop, clerk).queryParam("email", "ada@example.com").get("/api/admin/customers/data").then().statusCode(403);
        admin(shop, clerk).body(Map.of("email", "ada@example.com")).post("/api/admin/customers/redact").then().statusCode(403);
        given().header("Host", shop.host()).queryParam("email", "ada@example.com").get("/api/admin/customers/data").then().statusCode(401);
        admin(shop, token).queryParam("email", "not an email").get("/api/admin/customers/data").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(org.hamcrest.Matchers.containsString("email")));
        admin(shop, token).body(Map.of("email", "")).post("/api/admin/customers/redact").then().statusCode(400)
                .body("errors.field", hasItem("email"));
        admin(shop, token).queryParam("email", "nobody@example.com").get("/api/admin/customers/data").then().statusCode(404);

        JsonPath redacted = admin(shop, token).body(Map.of("email", "Ada@example.com")).post("/api/admin/customers/redact").then()
                .statusCode(200).body("customers", equalTo(1)).body("orders", equalTo(2)).extract().jsonPath();
        String address = redacted.getString("redactedEmail");
        assertTrue(address.endsWith("@redacted.invalid"), address);
        admin(shop, token).queryParam("email", "ada@example.com").get("/api/admin/customers/data").then().statusCode(404);
        admin(shop, token).body(Map.of("email", "ada@example.com")).post("/api/admin/customers/redact").then().statusCode(404);

        // the orders stay, without the person; the shop's sales are unchanged
        JsonPath orders = admin(shop, token).get("/api/admin/orders?limit=10").then().statusCode(200).extract().jsonPath();
        List<String> emails = orders.getList("items.email");
        assertEquals(3, emails.size());
        assertFalse(emails.contains("ada@example.com"), emails.toString());
        assertEquals(2, emails.stream().filter(address::equals).count());
        assertTrue(emails.contains("bob@example.com"));
        JsonPath kept = admin(shop, token).queryParam("email", address).get("/api/admin/customers/data").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("", kept.getString("customer.name"));
        assertEquals(4000, kept.getLong("customer.spentMinor"));
        // the old status link of a redacted order opens nothing; another customer's still does
        given().header("Host", shop.host()).header("Order-Token", first.getString("statusToken"))
                .get("/api/storefront/orders/" + first.getString("id")).then().statusCode(404);
        given().header("Host", shop.host()).header("Order-Token", someoneElse.getString("statusToken"))
                .get("/api/storefront/orders/" + someoneElse.getString("id")).then().statusCode(200);
        // the same email at another shop is that shop's customer, untouched
        admin(other, otherToken).queryParam("email", "ada@example.com").get("/api/admin/customers/data").then().statusCode(200)
                .body("customer.email", equalTo("ada@example.com"));
    }

    static RequestSpecification admin(Shop shop, String token) {
        return given().header("Host", shop.host()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    static JsonPath order(Shop shop, String variant, String email) {
        String cart = given().header("Host", shop.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        return given().header("Host", shop.host()).contentType(ContentType.JSON).header("Idempotency-Key", "privacy-" + UUID.randomUUID())
                .body(Map.of("cartId", cart, "email", email)).post("/api/storefront/checkouts").then().statusCode(201)
                .extract().jsonPath();
    }
}
