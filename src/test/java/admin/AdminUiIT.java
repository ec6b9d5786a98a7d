package admin;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import platform.CellRoleProfile;
import platform.Problem;
import testsupport.Browser;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * The merchant admin in a real browser (headless Chromium): sign-in, products, the storefront and a
 * shopper's checkout through the API, the order on the dashboard, fulfilment, form errors by their
 * fields, staff invitations, and nothing of another shop even with edited URLs.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class AdminUiIT {

    static Shop a;
    static Shop b;
    String test;

    @BeforeEach
    void shops(TestInfo info) {
        if (a == null) { // once per class; REST Assured knows the app's port only from the first test on
            a = Shops.create("cell1", "admin-a");
            b = Shops.create("cell1", "admin-b");
        }
        test = info.getTestMethod().orElseThrow().getName();
    }

    static String admin(Shop shop, String path) {
        return "http://" + shop.host() + ":" + RestAssured.port + "/admin" + path;
    }

    static void signIn(Browser browser, Shop shop) {
        browser.open(admin(shop, "/sign-in"), "sign-in");
        browser.assertEveryInputLabelled();
        browser.type("#email", shop.ownerEmail()).type("#password", shop.ownerPassword()).clickAndWait("button[type=submit]");
        assertEquals(admin(shop, ""), browser.url());
        browser.shot("dashboard");
    }

    @Test
    void merchantCreatesAProductAShopperBuysItAndTheMerchantFulfilsIt() {
        String handle = "mug-" + UUID.randomUUID().toString().substring(0, 8);
        String skuSmall = "MUG-S-" + handle.substring(4);
        String skuLarge = "MUG-L-" + handle.substring(4);
        String productId;
        try (Browser browser = new Browser(test, 1280, 1600)) {
            signIn(browser, a);
            browser.open(admin(a, "/products"), "products");
            browser.clickAndWait("a[href='/admin/products/new']").shot("new-product");
            browser.assertEveryInputLabelled();
            browser.type("#title", "Enamel mug").type("#handle", handle).type("#description", "Holds coffee.")
                    .type("#variant-0-sku", skuSmall).type("#variant-0-title", "Small")
                    .type("#variant-0-price", "12.50").type("#variant-0-currency", "EUR").type("#variant-0-stock", "7")
                    .type("#newCollection", "Kitchen");
            browser.clickAndWait("#add-variant").shot("second-variant-row");
            assertEquals("Small", browser.find("#variant-0-title").getAttribute("value"), "typed values are kept");
            browser.type("#variant-1-sku", skuLarge).type("#variant-1-title", "Large")
                    .type("#variant-1-price", "15").type("#variant-1-stock", "3");
            browser.clickAndWait("#save").shot("product-created");
            assertTrue(browser.text(".notice").contains("Product created"), browser.source());
            productId = browser.url().replaceAll(".*/admin/products/([0-9a-f-]{36}).*", "$1");
            assertEquals(2, browser.all("fieldset.variant").size());
            assertTrue(browser.find("#collection-kitchen").isSelected(), "the new collection is ticked");
            browser.open(admin(a, "/products?q=enamel"), "products-search");
            assertTrue(browser.text("#products").contains("Enamel mug"));
        }

        // the storefront serves it, and a shopper checks out through the storefront API
        JsonPath product = given().header("Host", a.host()).get("/api/storefront/products/" + handle).then().statusCode(200)
                .body("title", equalTo("Enamel mug")).body("variants", hasSize(2)).extract().jsonPath();
        String large = product.getString("variants.find { it.sku == '" + skuLarge + "' }.id");
        assertEquals(1500, product.getInt("variants.find { it.sku == '" + skuLarge + "' }.priceMinor"));
        String cart = given().header("Host", a.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", a.host()).contentType(ContentType.JSON).body(Map.of("variantId", large, "quantity", 2))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        String orderId = given().header("Host", a.host()).contentType(ContentType.JSON)
                .body(Map.of("cartId", cart, "email", "shopper@example.com")).post("/api/storefront/checkouts").then()
                .statusCode(201).body("totalMinor", equalTo(3000)).extract().path("id");

        try (Browser browser = new Browser(test, 1280, 1000)) {
            signIn(browser, a);
            assertTrue(browser.text("#recent-orders").contains("shopper@example.com"));
            assertTrue(Integer.parseInt(browser.text("#orders-today")) >= 1);
            assertTrue(browser.text("#revenue-today").contains("EUR"));
            browser.clickAndWait("#recent-orders a[href='/admin/orders/" + orderId + "']").shot("order");
            assertEquals("placed", browser.text("#order-status"));
            assertTrue(browser.text("#lines").contains(skuLarge));
            browser.clickAndWait("#action-fulfil").shot("order-fulfilled");
            assertEquals("fulfilled", browser.text("#order-status"));
            browser.open(admin(a, "/orders?status=fulfilled"), "orders-fulfilled");
            assertTrue(browser.text("#orders").contains("shopper@example.com"));
            browser.open(admin(a, "/products/" + productId), "product-after-sale");
            assertEquals("1", browser.find("#variant-1-stock").getAttribute("value"), "stock after the sale");
        }
        given().header("Host", a.host()).header("Authorization", "Bearer " + Shops.ownerToken(a))
                .get("/api/admin/orders/" + orderId).then().statusCode(200).body("status", equalTo("fulfilled"));
    }

    @Test
    void wrongPasswordShowsAnError() {
        try (Browser browser = new Browser(test)) {
            browser.open(admin(a, "/sign-in"), "sign-in");
            browser.type("#email", a.ownerEmail()).type("#password", "not the password").clickAndWait("button[type=submit]")
                    .shot("wrong-password");
            assertEquals("Wrong email or password.", browser.text("#form-error"));
            assertEquals(a.ownerEmail(), browser.find("#email").getAttribute("value"), "the email is kept");
            browser.open(admin(a, "/products"), "still-signed-out");
            assertTrue(browser.url().contains("/admin/sign-in"), "pages need a session: " + browser.url());
        }
    }

    @Test
    void invalidPriceIsShownByItsFieldAndNothingIsStored() {
        String handle = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser browser = new Browser(test, 1280, 1300)) {
            signIn(browser, a);
            browser.open(admin(a, "/products/new"), "new-product");
            browser.type("#title", "Broken price").type("#handle", handle).type("#variant-0-sku", "BAD-" + handle)
                    .type("#variant-0-title", "One").type("#variant-0-price", "12,5x").type("#variant-0-stock", "-2");
            browser.clickAndWait("#save").shot("invalid-price");
            assertTrue(browser.text("#variant-0-price-error").startsWith("Enter a price such as 12.50"),
                    browser.text("#variant-0-price-error"));
            assertEquals("true", browser.find("#variant-0-price").getAttribute("aria-invalid"));
            assertEquals("12,5x", browser.find("#variant-0-price").getAttribute("value"), "what was typed is kept");
            assertEquals("Broken price", browser.find("#title").getAttribute("value"));
            assertEquals("Stock cannot be negative.", browser.text("#variant-0-stock-error"));
            assertFalse(browser.source().contains("Exception"), "no stack trace");
            browser.assertEveryInputLabelled();
        }
        given().header("Host", a.host()).get("/api/storefront/products/" + handle).then().statusCode(404);
    }

    @Test
    void anotherShopsProductAndOrderAreNotFound() {
        String tokenB = Shops.ownerToken(b);
        String handle = "secret-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath productB = Catalogs.product(b, tokenB, handle, "EUR", new Object[] {"m", 900, 4});
        String productId = productB.getString("id");
        String variant = productB.getString("variants[0].id");
        String cart = given().header("Host", b.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", b.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        String orderB = given().header("Host", b.host()).contentType(ContentType.JSON)
                .body(Map.of("cartId", cart, "email", "b-buyer@example.com")).post("/api/storefront/checkouts").then()
                .statusCode(201).extract().path("id");
        try (Browser browser = new Browser(test)) {
            signIn(browser, a);
            browser.open(admin(a, "/products/" + productId), "other-shops-product");
            assertEquals("Product not found", browser.text("h1"));
            assertFalse(browser.source().contains(handle));
            browser.open(admin(a, "/products/" + productId + "/delete"), "other-shops-product-delete");
            assertEquals("Product not found", browser.text("h1"));
            browser.open(admin(a, "/orders/" + orderB), "other-shops-order");
            assertEquals("Order not found", browser.text("h1"));
            browser.open(admin(a, "/orders?email=b-buyer"), "other-shops-orders-search");
            assertFalse(browser.source().contains("b-buyer@example.com"));
            browser.open(admin(a, "/products?q=" + handle), "other-shops-products-search");
            assertTrue(browser.all("#products").isEmpty(), "no product of B is listed");
            // A's session cookie is not valid on B's host
            browser.open(admin(b, "/products/" + productId), "b-host-with-a-session");
            assertTrue(browser.url().contains("/admin/sign-in"), browser.url());
        }
        // B's product and order are untouched
        Catalogs.admin(b, tokenB).get("/api/admin/products/" + productId).then().statusCode(200);
        Catalogs.admin(b, tokenB).get("/api/admin/orders/" + orderB).then().statusCode(200).body("status", equalTo("placed"));
    }

    @Test
    void formsWithoutTheSessionsTokenAreRefused() {
        String session = given().header("Host", a.host()).contentType(ContentType.URLENC).redirects().follow(false)
                .formParam("email", a.ownerEmail()).formParam("password", a.ownerPassword())
                .formParam("_csrf", "whatever").cookie("sf_admin_form", "forged")
                .post("/admin/sign-in").then().statusCode(403).extract().cookie("sf_admin");
        assertEquals(null, session, "a sign-in without a matching form token opens no session");
        try (Browser browser = new Browser(test)) {
            signIn(browser, a);
            String cookies = (String) browser.script("return document.cookie");
            assertFalse(cookies.contains("sf_admin"), "the session cookie is HttpOnly: " + cookies);
        }
        String token = Shops.ownerToken(a);
        JsonPath created = Catalogs.product(a, token, "csrf-" + UUID.randomUUID().toString().substring(0, 8), "EUR",
                new Object[] {"x", 100, 1});
        // a signed-in post from elsewhere (no form token) deletes nothing
        String sessionCookie = signInCookie(a);
        given().header("Host", a.host()).contentType(ContentType.URLENC).cookie("sf_admin", sessionCookie)
                .formParam("confirm", "yes").redirects().follow(false)
                .post("/admin/products/" + created.getString("id") + "/delete").then().statusCode(403)
                .body(containsString("This form has expired"));
        Catalogs.admin(a, token).get("/api/admin/products/" + created.getString("id")).then().statusCode(200);
    }

    @Test
    void ownerInvitesStaffWhoJoinsAndTheOwnerCanRemoveThem() {
        String email = "clerk-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        String link;
        try (Browser owner = new Browser(test)) {
            signIn(owner, a);
            owner.open(admin(a, "/staff"), "staff");
            owner.assertEveryInputLabelled();
            owner.type("#invite-email", "not-an-email").clickAndWait("#invite").shot("invite-invalid");
            assertTrue(owner.text("#invite-email-error").contains("email address"));
            owner.type("#invite-email", email).clickAndWait("#invite").shot("invited");
            link = owner.text("#invitation-link code");
            assertTrue(link.startsWith(admin(a, "/invitations/")), link);
        }
        try (Browser clerk = new Browser(test)) {
            clerk.open(link, "invitation");
            clerk.assertEveryInputLabelled();
            clerk.type("#name", "Casey Clerk").type("#password", "short").type("#confirmation", "short")
                    .clickAndWait("button[type=submit]").shot("invitation-short-password");
            assertTrue(clerk.text("#password-error").contains("12 characters"));
            clerk.type("#password", "a long enough secret").type("#confirmation", "a long enough secret")
                    .clickAndWait("button[type=submit]").shot("joined");
            assertEquals(admin(a, ""), clerk.url());
            clerk.open(admin(a, "/staff"), "staff-as-clerk");
            assertTrue(clerk.all("#invite-email").isEmpty(), "staff do not manage staff");
            clerk.open(link, "invitation-used");
            assertEquals("Invitation not found", clerk.text("h1"));
        }
        try (Browser owner = new Browser(test)) {
            signIn(owner, a);
            owner.open(admin(a, "/staff"), "staff-with-clerk");
            assertTrue(owner.text("#staff").contains(email));
            owner.clickAndWait("#staff a[href$='/remove']").shot("remove-confirm");
            assertEquals("Remove Casey Clerk?", owner.text("h1"));
            owner.clickAndWait("#confirm-remove").shot("removed");
            assertFalse(owner.text("#staff").contains(email));
        }
    }

    @Test
    void merchantEditsPricesStockVariantsAndCollectionsThenDeletesTheProduct() {
        String tokenA = Shops.ownerToken(a);
        String handle = "tee-" + UUID.randomUUID().toString().substring(0, 8);
        String productId = Catalogs.product(a, tokenA, handle, "EUR", new Object[] {"s", 1000, 4},
                new Object[] {"m", 1100, 6}).getString("id");
        try (Browser browser = new Browser(test, 1280, 1600)) {
            signIn(browser, a);
            browser.open(admin(a, "/products/" + productId), "editor");
            // a shopper buys one M meanwhile: the editor's stock change is applied as a difference, not overwritten
            String m = given().header("Host", a.host()).get("/api/storefront/products/" + handle).then().extract()
                    .path("variants.find { it.title == 'Size m' }.id");
            String cart = given().header("Host", a.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                    .statusCode(201).extract().path("id");
            given().header("Host", a.host()).contentType(ContentType.JSON).body(Map.of("variantId", m, "quantity", 1))
                    .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
            given().header("Host", a.host()).contentType(ContentType.JSON)
                    .body(Map.of("cartId", cart, "email", "early@example.com")).post("/api/storefront/checkouts").then()
                    .statusCode(201);
            browser.type("#title", "Organic tee").type("#variant-1-price", "9.90").type("#variant-1-stock", "16")
                    .type("#newCollection", "Summer sale");
            browser.find("#variant-0-remove").click();
            browser.clickAndWait("#save").shot("saved");
            assertEquals("Changes saved.", browser.text(".notice"));
            assertEquals(1, browser.all("fieldset.variant").size());
            assertEquals("15", browser.find("#variant-0-stock").getAttribute("value"), "6 - 1 sold + 10 added");
        }
        given().header("Host", a.host()).get("/api/storefront/products/" + handle).then().statusCode(200)
                .body("title", equalTo("Organic tee")).body("variants", hasSize(1))
                .body("variants[0].priceMinor", equalTo(990)).body("variants[0].available", equalTo(15));
        given().header("Host", a.host()).get("/api/storefront/collections/summer-sale").then().statusCode(200)
                .body(containsString(handle));
        try (Browser browser = new Browser(test)) {
            signIn(browser, a);
            browser.open(admin(a, "/products/" + productId), "editor-again");
            browser.clickAndWait("a[href$='/delete']").shot("confirm-delete");
            assertEquals("Delete Organic tee?", browser.text("h1"));
            browser.clickAndWait("#confirm-delete").shot("deleted");
            assertTrue(browser.url().endsWith("/admin/products"), browser.url());
        }
        given().header("Host", a.host()).get("/api/storefront/products/" + handle).then().statusCode(404);
    }

    @Test
    void productsArePagedAndSearched() {
        Shop shop = Shops.create("cell1", "admin-paging");
        String token = Shops.ownerToken(shop);
        for (int i = 0; i < 27; i++) {
            Catalogs.product(shop, token, String.format("item-%02d", i), "EUR", new Object[] {"x" + i, 100 + i, 10});
        }
        try (Browser browser = new Browser(test)) {
            signIn(browser, shop);
            browser.open(admin(shop, "/products"), "first-page");
            assertEquals(25, browser.all("#products tbody tr").size());
            browser.clickAndWait("a.button[href*='after=']").shot("second-page");
            assertEquals(2, browser.all("#products tbody tr").size());
            assertTrue(browser.text("#products").contains("item-26"));
            browser.open(admin(shop, "/products"), "search");
            browser.type("#q", "ITEM-1").clickAndWait("form[role=search] button").shot("search-results");
            assertEquals(10, browser.all("#products tbody tr").size(), "item-10 to item-19");
            // the next page of a search keeps the search
            browser.type("#q", "Product item").clickAndWait("form[role=search] button");
            assertEquals(25, browser.all("#products tbody tr").size());
            browser.clickAndWait("a.button[href*='after=']").shot("search-second-page");
            assertEquals(2, browser.all("#products tbody tr").size());
            assertEquals("Product item", browser.find("#q").getAttribute("value"));
        }
    }

    @Test
    void repeatedWrongPasswordsLockTheAccount() {
        Shop shop = Shops.create("cell1", "admin-lock");
        try (Browser browser = new Browser(test)) {
            for (int i = 1; i <= 5; i++) {
                browser.open(admin(shop, "/sign-in"), "sign-in-" + i);
                browser.type("#email", shop.ownerEmail()).type("#password", "wrong guess " + i)
                        .clickAndWait("button[type=submit]");
                assertEquals("Wrong email or password.", browser.text("#form-error"));
            }
            browser.open(admin(shop, "/sign-in"), "sign-in-right-password");
            browser.type("#email", shop.ownerEmail()).type("#password", shop.ownerPassword())
                    .clickAndWait("button[type=submit]").shot("locked");
            assertTrue(browser.text("#form-error").contains("locked"), browser.text("#form-error"));
            assertTrue(browser.url().contains("/admin/sign-in"));
        }
    }

    @Test
    void staffChangeTheirPasswordAndSignOut() {
        Shop shop = Shops.create("cell1", "admin-pw");
        String newPassword = "a brand new passphrase";
        try (Browser browser = new Browser(test)) {
            signIn(browser, shop);
            browser.open(admin(shop, "/staff/password"), "password");
            browser.assertEveryInputLabelled();
            browser.type("#currentPassword", "not it").type("#newPassword", newPassword).type("#confirmation", newPassword)
                    .clickAndWait("#change-password").shot("wrong-current");
            assertTrue(browser.text("#currentPassword-error").contains("current password"));
            browser.type("#currentPassword", shop.ownerPassword()).type("#newPassword", newPassword)
                    .type("#confirmation", newPassword).clickAndWait("#change-password").shot("changed");
            assertTrue(browser.text(".notice").startsWith("Password changed"));
            browser.clickAndWait("header form button").shot("signed-out");
            assertTrue(browser.url().contains("/admin/sign-in"));
            browser.open(admin(shop, ""), "after-sign-out");
            assertTrue(browser.url().contains("/admin/sign-in"), "the session ended: " + browser.url());
            browser.type("#email", shop.ownerEmail()).type("#password", newPassword).clickAndWait("button[type=submit]")
                    .shot("signed-in-with-new-password");
            assertEquals(admin(shop, ""), browser.url());
        }
    }

    @Test
    void pagesFitAPhoneScreen() {
        try (Browser phone = new Browser(test, 390, 844)) {
            signIn(phone, a);
            for (String path : new String[] {"", "/products", "/products/new", "/orders", "/staff", "/waiting-room", "/settings"}) {
                phone.open(admin(a, path), "phone" + path.replace('/', '-'));
                phone.assertFitsWidth();
                phone.assertEveryInputLabelled();
            }
            assertTrue(phone.text("#domains").contains(a.host()));
        }
    }

    @Test
    void dashboardCountsTheShopsLocalDay() throws Exception {
        Shop shop = Shops.create("cell1", "admin-tz");
        String token = Shops.ownerToken(shop);
        // a zone where the shop's day differs from the UTC day now: UTC+1 (UTC-1 in the last hour of a UTC day)
        ZoneId zone = ZoneId.of(Instant.now().atZone(ZoneOffset.UTC).getHour() < 23 ? "Africa/Lagos" : "Atlantic/Cape_Verde");

        // the admin API refuses an unknown zone with a problem naming the field, and stores a known one
        Catalogs.admin(shop, token).body(Map.of("timeZone", "Mars/Olympus_Mons")).put("/api/admin/settings").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("timeZone"));
        Catalogs.admin(shop, token).get("/api/admin/settings").then().statusCode(200).body("timeZone", equalTo("UTC"));

        // two orders: one just after the shop's local midnight (today), one just before (yesterday)
        String variant = Catalogs.product(shop, token, "clock-" + UUID.randomUUID().toString().substring(0, 6), "EUR",
                new Object[] {"c", 1000, 10}).getString("variants[0].id");
        Instant midnight = LocalDate.now(zone).atStartOfDay(zone).toInstant();
        String today = placeOrder(shop, variant);
        String yesterday = placeOrder(shop, variant);
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            try (PreparedStatement bind = db.prepareStatement("select set_config('app.tenant_id', ?, true)");
                 PreparedStatement move = db.prepareStatement("update orders_order set created_at = ? where order_id = ?::uuid")) {
                bind.setString(1, shop.tenantId().toString());
                bind.execute();
                move.setTimestamp(1, Timestamp.from(midnight.plusSeconds(60)));
                move.setString(2, today);
                assertEquals(1, move.executeUpdate());
                move.setTimestamp(1, Timestamp.from(midnight.minusSeconds(60)));
                move.setString(2, yesterday);
                assertEquals(1, move.executeUpdate());
            }
            db.commit();
        }
        long utcToday = java.util.stream.Stream.of(midnight.plusSeconds(60), midnight.minusSeconds(60))
                .filter(t -> LocalDate.ofInstant(t, ZoneOffset.UTC).equals(LocalDate.now(ZoneOffset.UTC))).count();

        try (Browser browser = new Browser(test, 1280, 1000)) {
            signIn(browser, shop);
            assertEquals(String.valueOf(utcToday), browser.text("#orders-today"), "before: the UTC day");
            browser.open(admin(shop, "/settings"), "settings");
            assertEquals("UTC", browser.find("#timeZone").getAttribute("value"));
            browser.type("#timeZone", "Europe/Atlantis").clickAndWait("#save-settings").shot("settings-unknown-zone");
            assertTrue(browser.text("#timeZone-error").contains("Unknown time zone"), browser.source());
            assertEquals("Europe/Atlantis", browser.find("#timeZone").getAttribute("value"), "the typed value is kept");
            browser.type("#timeZone", zone.getId()).clickAndWait("#save-settings").shot("settings-saved");
            assertTrue(browser.text(".notice").contains("Settings saved"), browser.source());
            browser.open(admin(shop, ""), "dashboard-local-day");
            assertEquals("1", browser.text("#orders-today"), "only the order after the shop's local midnight");
            assertEquals(LocalDate.now(zone).toString(), browser.text("#shop-day"));
            assertTrue(browser.text("#revenue-today").contains("10.00"), browser.text("#revenue-today"));
        }
        Catalogs.admin(shop, token).get("/api/admin/settings").then().statusCode(200).body("timeZone", equalTo(zone.getId()));
    }

    @Test
    void theMerchantTurnsTheWaitingRoomOnFromTheDashboardAndSeesItsFigures() {
        Shop shop = Shops.create("cell1", "admin-sale");
        String token = Shops.ownerToken(shop);
        try (Browser browser = new Browser(test, 1280, 1000)) {
            signIn(browser, shop);
            assertEquals("Off", browser.text("#room-state"));
            assertEquals("0", browser.text("#room-waiting"));
            browser.clickAndWait("#sale-switch").shot("waiting-room-on");
            assertTrue(browser.text(".notice").contains("The waiting room is on"), browser.source());
            assertEquals("On (turned on by you)", browser.text("#room-state"));
            browser.assertEveryInputLabelled();
            // a rate out of range is refused by its field, the typed value kept, nothing saved
            browser.type("#admitPerSecond", "0").clickAndWait("#save-waiting-room").shot("waiting-room-invalid-rate");
            assertTrue(browser.text("#admitPerSecond-error").contains("from 1 to 10000"), browser.source());
            Catalogs.admin(shop, token).get("/api/admin/waiting-room").then().statusCode(200)
                    .body("enabled", equalTo(true)).body("admitPerSecond", equalTo(50)).body("on", equalTo("merchant"));
            // carts hold their stock for the sale: a hold time out of range is refused by its field, a valid one saved
            browser.type("#admitPerSecond", "50").type("#holdSeconds", "7200").clickAndWait("#save-waiting-room");
            assertTrue(browser.text("#holdSeconds-error").contains("from 0 (no holds) to 3600"), browser.source());
            browser.type("#holdSeconds", "600").clickAndWait("#save-waiting-room").shot("waiting-room-holds");
            assertTrue(browser.text(".notice").contains("hold their stock for 600 s"), browser.source());
            Catalogs.admin(shop, token).get("/api/admin/stock-holds").then().statusCode(200).body("holdSeconds", equalTo(600));
            browser.open(admin(shop, ""), "dashboard-room-on");
            assertEquals("On (turned on by you)", browser.text("#room-state"));
            browser.clickAndWait("#sale-switch").shot("waiting-room-off");
            assertEquals("Off", browser.text("#room-state"));
        }
        Catalogs.admin(shop, token).get("/api/admin/waiting-room").then().statusCode(200)
                .body("enabled", equalTo(false)).body("automatic", equalTo(true));
        // the dashboard's switch leaves the hold time as it was
        Catalogs.admin(shop, token).get("/api/admin/stock-holds").then().statusCode(200).body("holdSeconds", equalTo(600));
    }

    @Test
    void theOwnerAnswersACustomersDataRequestsFromTheAdmin() {
        Shop shop = Shops.create("cell1", "admin-privacy");
        String token = Shops.ownerToken(shop);
        String variant = Catalogs.product(shop, token, "kettle", "EUR", new Object[] {"k-1", 3000, 10}).getString("variants[0].id");
        placeOrder(shop, variant, "Grace@Example.com");
        placeOrder(shop, variant, "grace@example.com");
        try (Browser browser = new Browser(test, 1280, 1000)) {
            signIn(browser, shop);
            browser.open(admin(shop, "/customers"), "customers");
            browser.assertEveryInputLabelled();
            browser.type("#email", "not-an-email").clickAndWait("#find-customer").shot("customers-invalid");
            assertTrue(browser.text("#email-error").contains("Enter an email address"), browser.source());
            browser.type("#email", "nobody@example.com").clickAndWait("#find-customer");
            assertTrue(browser.text("#customer-message").contains("holds no customer"), browser.source());
            browser.type("#email", "GRACE@example.com").clickAndWait("#find-customer").shot("customers-found");
            assertEquals(2, browser.all("#customer-orders tbody tr").size(), browser.source());
            String download = browser.find("#download-customer").getAttribute("href");
            assertTrue(download.endsWith("/admin/customers/data?email=grace%40example.com"), download);
            // a redaction needs its confirmation
            browser.clickAndWait("#redact-customer").shot("customers-unconfirmed");
            assertTrue(browser.text("#confirm-error").contains("cannot be undone"), browser.source());
            Catalogs.admin(shop, token).queryParam("email", "grace@example.com").get("/api/admin/customers/data").then().statusCode(200);
            browser.find("#confirm").click();
            browser.clickAndWait("#redact-customer").shot("customers-redacted");
            assertTrue(browser.text(".notice").contains("2 order(s) kept"), browser.source());
        }
        Catalogs.admin(shop, token).queryParam("email", "grace@example.com").get("/api/admin/customers/data").then().statusCode(404);
    }

    @Test
    void theOwnerExportsTheShopFromTheAdminAndDownloadsTheArchive() {
        Shop shop = Shops.create("cell1", "admin-export");
        String token = Shops.ownerToken(shop);
        Catalogs.product(shop, token, "lamp", "EUR", new Object[] {"l-1", 4500, 3});
        try (Browser browser = new Browser(test, 1280, 1000)) {
            signIn(browser, shop);
            browser.open(admin(shop, "/exports"), "exports");
            browser.clickAndWait("#export-shop").shot("exports-running");
            assertTrue(browser.text(".notice").contains("The export runs"), browser.source());
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
                browser.open(admin(shop, "/exports"), "exports-poll");
                return browser.text("#exports").contains("ready");
            });
            browser.shot("exports-ready");
            assertEquals(1, browser.all("#exports button").size(), browser.source());
        }
        // the download: a link made on the click, followed to the archive
        String session = signInCookie(shop);
        var page = given().header("Host", shop.host()).cookie("sf_admin", session).get("/admin/exports").then().statusCode(200).extract();
        String csrf = page.htmlPath().getString("**.find { it.@name == '_csrf' }.@value");
        String action = page.htmlPath().getString("**.find { it.name() == 'form' && it.@action.text().endsWith('/download') }.@action");
        String link = given().header("Host", shop.host()).cookie("sf_admin", session).contentType(ContentType.URLENC)
                .formParam("_csrf", csrf).redirects().follow(false).post(action).then().statusCode(303).extract().header("Location");
        assertTrue(link.contains("/api/admin/export-archives/") && link.contains("token=sfx_"), link);
        byte[] archive = given().header("Host", shop.host()).get(link.replaceFirst("^https?://[^/]+", "")).then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        assertTrue(archive.length > 100 && archive[0] == 'P' && archive[1] == 'K', "a zip archive");
    }

    private static String placeOrder(Shop shop, String variant, String email) {
        String cart = given().header("Host", shop.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        return given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("cartId", cart, "email", email)).post("/api/storefront/checkouts").then()
                .statusCode(201).extract().path("id");
    }

    private static String placeOrder(Shop shop, String variant) {
        String cart = given().header("Host", shop.host()).contentType(ContentType.JSON).post("/api/storefront/carts").then()
                .statusCode(201).extract().path("id");
        given().header("Host", shop.host()).contentType(ContentType.JSON).body(Map.of("variantId", variant, "quantity", 1))
                .post("/api/storefront/carts/" + cart + "/lines").then().statusCode(200);
        return given().header("Host", shop.host()).contentType(ContentType.JSON)
                .body(Map.of("cartId", cart, "email", "tz@example.com")).post("/api/storefront/checkouts").then()
                .statusCode(201).extract().path("id");
    }

    private static String signInCookie(Shop shop) {
        // the sign-in form's token is the digest of the sign-in cookie: take both from the page, as a browser does
        var page = given().header("Host", shop.host()).get("/admin/sign-in").then().statusCode(200).extract();
        String formCookie = page.cookie("sf_admin_form");
        String token = page.htmlPath().getString("**.find { it.@name == '_csrf' }.@value");
        return given().header("Host", shop.host()).contentType(ContentType.URLENC).redirects().follow(false)
                .cookie("sf_admin_form", formCookie).formParam("_csrf", token)
                .formParam("email", shop.ownerEmail()).formParam("password", shop.ownerPassword())
                .post("/admin/sign-in").then().statusCode(303).extract().cookie("sf_admin");
    }
}
