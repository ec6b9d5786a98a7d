package tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * Cross-tenant access is impossible: for every storefront and admin endpoint, shop A's host and
 * credentials with shop B's ids get 404 (or 400/401), no response carries any of B's data, and B's
 * data is unchanged afterwards.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class IsolationMatrixIT {

    static Shop a;
    static Shop b;
    static String tokenA;
    static String tokenB;
    static String productB;
    static String handleB;
    static String variantB;
    static String skuB;
    static String cartB;
    static String orderB;
    static String orderTokenB;
    static String cartA;
    static String variantA;
    static List<String> secretsOfB;

    @BeforeEach
    void shops() {
        if (a != null) {
            return;
        }
        a = Shops.create("cell1", "iso-a");
        b = Shops.create("cell1", "iso-b");
        tokenA = Shops.ownerToken(a);
        tokenB = Shops.ownerToken(b);
        variantA = Catalogs.product(a, tokenA, "a-product", "EUR", new Object[] {"a", 100, 10}).getString("variants[0].id");
        Catalogs.admin(b, tokenB).body(Map.of("handle", "b-collection", "title", "B only")).post("/api/admin/collections")
                .then().statusCode(201);
        handleB = "b-secret-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath product = Catalogs.admin(b, tokenB).body(Map.of("handle", handleB, "title", "Secret of B " + handleB,
                        "collections", List.of("b-collection"),
                        "variants", List.of(Map.of("sku", "BSKU-" + handleB, "title", "only", "priceMinor", 777,
                                "currency", "EUR", "inventory", 5))))
                .post("/api/admin/products").then().statusCode(201).extract().jsonPath();
        productB = product.getString("id");
        variantB = product.getString("variants[0].id");
        skuB = product.getString("variants[0].sku");
        cartB = shopper(b).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        shopper(b).body(Map.of("variantId", variantB, "quantity", 1)).post("/api/storefront/carts/" + cartB + "/lines")
                .then().statusCode(200);
        String checkoutCart = shopper(b).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        shopper(b).body(Map.of("variantId", variantB, "quantity", 1)).post("/api/storefront/carts/" + checkoutCart + "/lines")
                .then().statusCode(200);
        JsonPath order = shopper(b).body(Map.of("cartId", checkoutCart, "email", "b-buyer@example.com"))
                .post("/api/storefront/checkouts").then().statusCode(201).extract().jsonPath();
        orderB = order.getString("id");
        orderTokenB = order.getString("statusToken");
        cartA = shopper(a).post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        // what only B knows (ids and handles that a request sends may be echoed in its own problem)
        secretsOfB = List.of("Secret of B", skuB, orderTokenB, "b-buyer@example.com", "B only",
                b.tenantId().toString(), b.handle(), b.ownerEmail());
    }

    static RequestSpecification shopper(Shop shop) {
        return given().header("Host", shop.host()).contentType(ContentType.JSON);
    }

    static RequestSpecification adminA() {
        return Catalogs.admin(a, tokenA);
    }

    private static void denied(Response response, int... allowed) {
        int status = response.statusCode();
        boolean ok = false;
        for (int code : allowed) {
            ok |= code == status;
        }
        String body = response.asString();
        if (!ok) {
            throw new AssertionError("status " + status + " for a cross-tenant request: " + body);
        }
        for (String secret : secretsOfB) {
            assertFalse(body.contains(secret), "response leaks " + secret + ": " + body);
        }
    }

    @Test
    void storefrontOfAHasNothingOfB() {
        denied(shopper(a).get("/api/storefront/products/" + handleB), 404);
        denied(shopper(a).queryParam("q", "Secret of B").get("/api/storefront/products"), 200);
        shopper(a).queryParam("q", "Secret of B").get("/api/storefront/products").then().body("items", hasSize(0));
        denied(shopper(a).get("/api/storefront/collections/b-collection"), 404);
        denied(shopper(a).queryParam("collection", "b-collection").get("/api/storefront/products"), 404);
        denied(shopper(a).get("/api/storefront/carts/" + cartB), 404);
        denied(shopper(a).body(Map.of("variantId", variantA, "quantity", 1)).post("/api/storefront/carts/" + cartB + "/lines"), 404);
        denied(shopper(a).body(Map.of("variantId", variantB, "quantity", 1)).post("/api/storefront/carts/" + cartA + "/lines"), 400);
        denied(shopper(a).body(Map.of("quantity", 3)).put("/api/storefront/carts/" + cartB + "/lines/" + variantB), 404);
        denied(shopper(a).delete("/api/storefront/carts/" + cartB + "/lines/" + variantB), 404);
        denied(shopper(a).body(Map.of("cartId", cartB, "email", "thief@example.com")).post("/api/storefront/checkouts"), 404);
        denied(shopper(a).header("Order-Token", orderTokenB).get("/api/storefront/orders/" + orderB), 404);
    }

    @Test
    void adminOfAHasNothingOfB() {
        denied(adminA().get("/api/admin/products/" + productB), 404);
        denied(adminA().body(Map.of("title", "stolen")).put("/api/admin/products/" + productB), 404);
        denied(adminA().body(Map.of("sku", "X-" + UUID.randomUUID().toString().substring(0, 6), "title", "x", "priceMinor", 1,
                "currency", "EUR", "inventory", 1)).post("/api/admin/products/" + productB + "/variants"), 404);
        denied(adminA().body(Map.of("priceMinor", 1)).put("/api/admin/variants/" + variantB), 404);
        denied(adminA().body(Map.of("delta", -5, "reason", "theft")).post("/api/admin/variants/" + variantB + "/inventory-adjustments"), 404);
        denied(adminA().delete("/api/admin/variants/" + variantB), 404);
        denied(adminA().delete("/api/admin/products/" + productB), 404);
        denied(adminA().get("/api/admin/orders/" + orderB), 404);
        for (String action : List.of("pay", "fulfil", "cancel", "refund")) {
            denied(adminA().post("/api/admin/orders/" + orderB + "/" + action), 404);
        }
        denied(adminA().queryParam("limit", 200).get("/api/admin/products"), 200);
        denied(adminA().queryParam("limit", 200).get("/api/admin/orders"), 200);
        denied(adminA().get("/api/admin/collections"), 200);
    }

    @Test
    void credentialsOfAAreWorthlessOnB() {
        RequestSpecification aTokenOnB = given().header("Host", b.host()).header("Authorization", "Bearer " + tokenA)
                .contentType(ContentType.JSON);
        denied(aTokenOnB.get("/api/admin/products/" + productB), 401);
        denied(aTokenOnB.get("/api/admin/products"), 401);
        denied(aTokenOnB.get("/api/admin/orders/" + orderB), 401);
        denied(aTokenOnB.post("/api/admin/orders/" + orderB + "/cancel"), 401);
        denied(aTokenOnB.body(Map.of("delta", -5, "reason", "theft")).post("/api/admin/variants/" + variantB + "/inventory-adjustments"), 401);
        denied(given().header("Host", b.host()).contentType(ContentType.JSON)
                .body(Map.of("email", a.ownerEmail(), "password", a.ownerPassword())).post("/api/admin/tokens"), 401);
    }

    @Test
    void bIsUntouched() {
        storefrontOfAHasNothingOfB();
        adminOfAHasNothingOfB();
        Catalogs.admin(b, tokenB).get("/api/admin/products/" + productB).then().statusCode(200)
                .body("title", equalTo("Secret of B " + handleB)).body("variants[0].available", equalTo(4))
                .body("variants[0].priceMinor", equalTo(777));
        Catalogs.admin(b, tokenB).get("/api/admin/orders/" + orderB).then().statusCode(200).body("status", equalTo("placed"));
        shopper(b).get("/api/storefront/carts/" + cartB).then().statusCode(200).body("lines[0].quantity", equalTo(1));
    }
}
