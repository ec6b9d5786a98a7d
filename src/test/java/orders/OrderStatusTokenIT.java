package orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.CellRoleProfile;
import platform.Problem;
import testsupport.Catalogs;
import testsupport.Shops;
import testsupport.Shops.Shop;

/** The order status token travels in a header only: a token in the URL is refused, and never answers with the order. */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class OrderStatusTokenIT {

    @Test
    void theTokenIsAcceptedInTheHeaderOnly() {
        Shop shop = Shops.create("cell1", "token");
        String staff = Shops.ownerToken(shop);
        String variant = Catalogs.product(shop, staff, "pen-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"p", 300, 5}).getString("variants[0].id");
        String cart = given().header("Host", shop.host()).contentType(ContentType.JSON)
                .post("/api/storefront/carts").then().statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("variantId", variant, "quantity", 1)).post("/api/storefront/carts/" + cart + "/lines")
                .then().statusCode(200);
        JsonPath order = given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("cartId", cart, "email", "pen@example.com")).post("/api/storefront/checkouts")
                .then().statusCode(201).extract().jsonPath();
        String path = "/api/storefront/orders/" + order.getString("id");
        String token = order.getString("statusToken");

        given().header("Host", shop.host()).queryParam("token", token).get(path).then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("token"))
                .body(not(containsString("pen@example.com")));
        given().header("Host", shop.host()).header("Order-Token", token).queryParam("token", token).get(path).then()
                .statusCode(400);
        given().header("Host", shop.host()).header("Order-Token", token).get(path).then()
                .statusCode(200).body("email", equalTo("pen@example.com"));
    }
}
