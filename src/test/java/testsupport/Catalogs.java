package testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Catalogue set-up through the merchant admin API. */
public final class Catalogs {

    private Catalogs() {}

    /** Requests on a shop's host as its owner. */
    public static RequestSpecification admin(Shops.Shop shop, String token) {
        return given().header("Host", shop.host()).header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** Creates an active product with one variant per (sku, price, stock) triple; returns the product JSON. */
    public static JsonPath product(Shops.Shop shop, String token, String handle, String currency, Object[]... variants) {
        List<Map<String, Object>> vs = new java.util.ArrayList<>();
        for (Object[] v : variants) {
            vs.add(Map.of("sku", v[0] + "-" + UUID.randomUUID().toString().substring(0, 6), "title", "Size " + v[0],
                    "priceMinor", v[1], "currency", currency, "options", Map.of("size", String.valueOf(v[0])),
                    "inventory", v[2]));
        }
        return admin(shop, token).body(Map.of("handle", handle, "title", "Product " + handle, "description", "A fine " + handle,
                        "variants", vs))
                .post("/api/admin/products").then().statusCode(201).extract().jsonPath();
    }
}
