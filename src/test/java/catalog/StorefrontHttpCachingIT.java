package catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import testsupport.Catalogs;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * The cell's HTTP caching contract for shared caches: storefront reads carry a strong ETag, a
 * Cache-Control for shared caches and their surrogate keys, and answer a matching If-None-Match with
 * 304; nothing else is cacheable.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class StorefrontHttpCachingIT {

    static final String CONTRACT = "public, max-age=0, s-maxage=5, stale-while-revalidate=10, stale-if-error=300";

    static Shop shop;
    static String token;
    static String variant;

    @BeforeEach
    void shop() {
        if (shop == null) {
            shop = Shops.create("cell1", "httpcache");
            token = Shops.ownerToken(shop);
            Catalogs.admin(shop, token).body(Map.of("handle", "autumn", "title", "Autumn")).post("/api/admin/collections")
                    .then().statusCode(201);
            variant = Catalogs.product(shop, token, "wool-scarf", "EUR", new Object[] {"one", 2500, 4}).getString("variants[0].id");
        }
    }

    @Test
    void readsCarryAStrongTagTheSharedCacheContractAndTheirSurrogateKeys() {
        Response product = given().header("Host", shop.host()).get("/api/storefront/products/wool-scarf");
        product.then().statusCode(200)
                .header("ETag", matchesPattern("\"[A-Za-z0-9_-]{22}\""))
                .header("Cache-Control", CONTRACT)
                .header("Surrogate-Key", "shop product:wool-scarf");
        // the same content, the same tag (whether the cell's own cache had it or not)
        assertEquals(product.header("ETag"), given().header("Host", shop.host()).get("/api/storefront/products/wool-scarf").header("ETag"));
        given().header("Host", shop.host()).get("/api/storefront/products").then().statusCode(200)
                .header("Surrogate-Key", "shop products").header("Cache-Control", CONTRACT).header("ETag", not(emptyString()));
        given().header("Host", shop.host()).get("/api/storefront/collections/autumn").then().statusCode(200)
                .header("Surrogate-Key", "shop products collection:autumn");
        given().header("Host", shop.host()).get("/api/storefront/shop").then().statusCode(200)
                .header("Surrogate-Key", "shop").header("Cache-Control", CONTRACT).header("ETag", not(emptyString()));
        // a missing item is cacheable briefly
        given().header("Host", shop.host()).get("/api/storefront/products/no-such-thing").then().statusCode(404)
                .header("Cache-Control", "public, s-maxage=5").header("ETag", nullValue());
    }

    @Test
    void aMatchingIfNoneMatchIsAnswered304WithTheTagAndNoBody() {
        String tag = given().header("Host", shop.host()).get("/api/storefront/products/wool-scarf").header("ETag");
        for (String ifNoneMatch : new String[] {tag, "W/" + tag, "\"other\", " + tag, "*"}) {
            given().header("Host", shop.host()).header("If-None-Match", ifNoneMatch).get("/api/storefront/products/wool-scarf")
                    .then().statusCode(304).header("ETag", tag).header("Cache-Control", CONTRACT).body(emptyString());
        }
        // another tag, a malformed or a huge header: the full answer, never an error
        for (String ifNoneMatch : new String[] {"\"other\"", "garbage", tag + " junk", "\"x\", ".repeat(1_500) + tag}) {
            given().header("Host", shop.host()).header("If-None-Match", ifNoneMatch).get("/api/storefront/products/wool-scarf")
                    .then().statusCode(200).header("ETag", tag).body("handle", equalTo("wool-scarf"));
        }
        // a change gives a new tag
        Catalogs.admin(shop, token).body(Map.of("priceMinor", 2600)).put("/api/admin/variants/" + variant).then().statusCode(200);
        given().header("Host", shop.host()).header("If-None-Match", tag).get("/api/storefront/products/wool-scarf")
                .then().statusCode(200).header("ETag", not(equalTo(tag))).body("variants[0].priceMinor", equalTo(2600));
    }

    @Test
    void cartsOrdersAndTheMerchantApiAreNeverCacheable() {
        String cart = given().header("Host", shop.host()).contentType("application/json").body("{}").post("/api/storefront/carts")
                .then().header("Cache-Control", "no-store").header("Surrogate-Key", nullValue()).extract().path("id");
        given().header("Host", shop.host()).get("/api/storefront/carts/" + cart).then().statusCode(200)
                .header("Cache-Control", "no-store").header("ETag", nullValue());
        Catalogs.admin(shop, token).get("/api/admin/products").then().statusCode(200).header("Cache-Control", "no-store");
        // a refused read of the catalogue is not cacheable either
        given().header("Host", shop.host()).get("/api/storefront/products?limit=0").then().statusCode(400)
                .header("Cache-Control", "no-store");
    }
}
