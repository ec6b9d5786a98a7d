package catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.Problem;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;

/** The catalogue of a shop: merchant admin API, storefront reads, validation, and the Redis cache with its fallback. */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class CatalogIT {

    static Shop shop;
    static String token;

    @BeforeEach
    void shop() {
        if (shop == null) {
            shop = Shops.create("cell1", "catalog");
            token = Shops.ownerToken(shop);
        }
    }

    @Test
    void merchantCreatesAProductThatShoppersSee() {
        Catalogs.admin(shop, token).body(Map.of("handle", "summer", "title", "Summer")).post("/api/admin/collections")
                .then().statusCode(201);
        JsonPath created = Catalogs.admin(shop, token).body(Map.of(
                        "handle", "linen-shirt", "title", "Linen shirt", "collections", List.of("summer"),
                        "variants", List.of(
                                Map.of("sku", "LS-S", "title", "S", "priceMinor", 4900, "currency", "EUR", "options", Map.of("size", "S"), "inventory", 3),
                                Map.of("sku", "LS-M", "title", "M", "priceMinor", 4900, "currency", "EUR", "options", Map.of("size", "M"), "inventory", 0))))
                .post("/api/admin/products").then().statusCode(201).extract().jsonPath();
        assertEquals(2, created.getList("variants").size());

        given().header("Host", shop.host()).get("/api/storefront/products/linen-shirt").then().statusCode(200)
                .body("title", equalTo("Linen shirt"))
                .body("variants.sku", equalTo(List.of("LS-S", "LS-M")))
                .body("variants.available", equalTo(List.of(3, 0)));
        given().header("Host", shop.host()).queryParam("q", "LINEN").get("/api/storefront/products").then().statusCode(200)
                .body("items.handle", hasItem("linen-shirt"));
        given().header("Host", shop.host()).queryParam("q", "nothing-like-this").get("/api/storefront/products").then()
                .statusCode(200).body("items", hasSize(0));
        given().header("Host", shop.host()).get("/api/storefront/collections/summer").then().statusCode(200)
                .body("products.items.handle", equalTo(List.of("linen-shirt")));
        given().header("Host", shop.host()).queryParam("collection", "summer").get("/api/storefront/products").then()
                .statusCode(200).body("items.handle", equalTo(List.of("linen-shirt")));
        given().header("Host", shop.host()).get("/api/storefront/products/no-such-product").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);

        // drafts are not on the storefront
        String id = created.getString("id");
        Catalogs.admin(shop, token).body(Map.of("status", "draft")).put("/api/admin/products/" + id).then().statusCode(200);
        given().header("Host", shop.host()).get("/api/storefront/products/linen-shirt").then().statusCode(404);
    }

    @Test
    void productListIsCursorPaged() {
        for (int i = 0; i < 5; i++) {
            Catalogs.product(shop, token, "paged-" + i, "EUR", new Object[] {"u", 100, 1});
        }
        JsonPath first = given().header("Host", shop.host()).queryParam("q", "paged-").queryParam("limit", 3)
                .get("/api/storefront/products").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("paged-0", "paged-1", "paged-2"), first.getList("items.handle"));
        given().header("Host", shop.host()).queryParam("q", "paged-").queryParam("limit", 3)
                .queryParam("after", first.getString("next"))
                .get("/api/storefront/products").then().statusCode(200)
                .body("items.handle", equalTo(List.of("paged-3", "paged-4"))).body("next", nullValue());
        given().header("Host", shop.host()).queryParam("after", "%%%not-a-cursor").get("/api/storefront/products").then()
                .statusCode(400).body("errors.field", hasItem("after"));
        given().header("Host", shop.host()).queryParam("limit", 0).get("/api/storefront/products").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        given().header("Host", shop.host()).queryParam("limit", "lots").get("/api/storefront/products").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void invalidProductsAreRejectedNamingTheField() {
        Map<String, Object> variant = Map.of("sku", "OK-1", "title", "x", "priceMinor", 100, "currency", "EUR", "inventory", 1);
        Catalogs.admin(shop, token).body(Map.of("handle", "Bad Handle", "title", "x", "variants", List.of(variant)))
                .post("/api/admin/products").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("handle"));
        Catalogs.admin(shop, token).body(Map.of("handle", "neg", "title", "x", "variants", List.of(
                        Map.of("sku", "NEG-1", "title", "x", "priceMinor", -1, "currency", "EUR", "inventory", 1))))
                .post("/api/admin/products").then().statusCode(400).body("errors.field", hasItem("variants[0].priceMinor"));
        Catalogs.admin(shop, token).body(Map.of("handle", "cur", "title", "x", "variants", List.of(
                        Map.of("sku", "CUR-1", "title", "x", "priceMinor", 1, "currency", "XYZ", "inventory", 1))))
                .post("/api/admin/products").then().statusCode(400).body("errors.field", hasItem("variants[0].currency"));
        Catalogs.admin(shop, token).body(Map.of("handle", "long", "title", "x".repeat(300), "variants", List.of(variant)))
                .post("/api/admin/products").then().statusCode(400).body("errors.field", hasItem("title"));
        Catalogs.admin(shop, token).body(Map.of("handle", "stock", "title", "x", "variants", List.of(
                        Map.of("sku", "ST-1", "title", "x", "priceMinor", 1, "currency", "EUR", "inventory", 2_000_000_000))))
                .post("/api/admin/products").then().statusCode(400).body("errors.field", hasItem("variants[0].inventory"));
        Catalogs.admin(shop, token).body("{\"handle\": \"x\", \"title\": ")
                .post("/api/admin/products").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("Malformed JSON"));
        Catalogs.admin(shop, token).body("{\"handle\": \"x\", \"title\": \"x\", \"variants\": [{\"sku\": \"A\", \"priceMinor\": \"cheap\"}]}")
                .post("/api/admin/products").then().statusCode(400).body("errors.field", hasItem("variants[0].priceMinor"));
        Catalogs.admin(shop, token).body(Map.of("handle", "empty", "title", "x", "variants", List.of()))
                .post("/api/admin/products").then().statusCode(400).body("errors.field", hasItem("variants"));
        Catalogs.product(shop, token, "dup", "EUR", new Object[] {"d", 1, 1});
        Catalogs.admin(shop, token).body(Map.of("handle", "dup", "title", "x", "variants", List.of(variant)))
                .post("/api/admin/products").then().statusCode(409).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void oversizeBodiesAreRefused() {
        Catalogs.admin(shop, token).body("{\"handle\": \"big\", \"description\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .post("/api/admin/products").then().statusCode(413).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void inventoryAdjustmentsNeverGoBelowZero() {
        String variant = Catalogs.product(shop, token, "stocked", "EUR", new Object[] {"s", 100, 2}).getString("variants[0].id");
        Catalogs.admin(shop, token).body(Map.of("delta", 5, "reason", "delivery"))
                .post("/api/admin/variants/" + variant + "/inventory-adjustments").then().statusCode(200).body("available", equalTo(7));
        Catalogs.admin(shop, token).body(Map.of("delta", -8, "reason", "count"))
                .post("/api/admin/variants/" + variant + "/inventory-adjustments").then().statusCode(409);
        Catalogs.admin(shop, token).body(Map.of("delta", -7, "reason", "count"))
                .post("/api/admin/variants/" + variant + "/inventory-adjustments").then().statusCode(200).body("available", equalTo(0));
    }

    @Test
    void cachedReadsSeeEveryChangeAndSurviveRedisOutages() {
        String id = Catalogs.product(shop, token, "cached", "EUR", new Object[] {"c", 100, 1}).getString("id");
        given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200).header("X-Cache", "miss");
        given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200).header("X-Cache", "hit");
        Catalogs.admin(shop, token).body(Map.of("title", "Renamed")).put("/api/admin/products/" + id).then().statusCode(200);
        given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200)
                .body("title", equalTo("Renamed")).header("X-Cache", "miss");
        try {
            Infra.infra("stop", "redis");
            given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200)
                    .body("title", equalTo("Renamed"));
            Catalogs.admin(shop, token).body(Map.of("title", "Renamed while Redis was down")).put("/api/admin/products/" + id)
                    .then().statusCode(200);
            given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200)
                    .body("title", equalTo("Renamed while Redis was down"));
        } finally {
            Infra.infra("start", "redis");
        }
        await().atMost(Infra.PATIENCE).untilAsserted(() -> {
            given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200)
                    .body("title", equalTo("Renamed while Redis was down"));
            given().header("Host", shop.host()).get("/api/storefront/products/cached").then().statusCode(200)
                    .header("X-Cache", "hit").body("title", equalTo("Renamed while Redis was down"));
        });
        given().header("Host", shop.host()).get("/api/storefront/products/cached").then().header("X-Cache", not("miss"));
    }
}
