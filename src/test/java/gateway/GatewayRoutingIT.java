package gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import testsupport.Infra;
import testsupport.Management;
import testsupport.Metrics;
import testsupport.Node;
import testsupport.Operator;
import testsupport.RawHttp;

/**
 * The whole platform on loopback (control node, gateway, two cells, started from the packaged
 * application): shops on two cells are served through one gateway by host name, keep being served
 * with the control node down and across a gateway restart, a dead cell fails only its own shops, and
 * each tenant's rate limit applies with or without Redis.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayRoutingIT {

    static Node control;
    static Node gateway;
    static Node cellA;
    static Node cellB;
    static Operator operator;
    static String idA;
    static String idB;
    static String shopA;
    static String shopB;
    static String shopA2;
    static String customA;
    static final Map<String, String> OWNER_PASSWORDS = new java.util.concurrent.ConcurrentHashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void platform() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Path snapshot = Path.of("target/gateway-routes-" + suffix + ".json").toAbsolutePath();
        Files.deleteIfExists(snapshot);
        control = Node.control(1).start();
        operator = new Operator(control);
        cellA = Node.cell("ga" + suffix, Infra.TEST_CELL_DB, 1).start();
        cellB = Node.cell("gb" + suffix, Infra.TEST_CELL2_DB, 1).start();
        gateway = Node.gateway(snapshot.toString()).start();
        operator.register("ga" + suffix, cellA, 1000, 100_000);
        operator.register("gb" + suffix, cellB, 1000, 100_000);
        // place one shop on each cell: drain the other while creating
        operator().post("/api/controlplane/cells/gb" + suffix + "/drain").then().statusCode(200);
        shopA = "gwa-" + suffix;
        idA = create(shopA, List.of());
        shopA2 = "gwc-" + suffix; // a neighbour of shopA on the same cell
        String idA2 = create(shopA2, List.of());
        operator().post("/api/controlplane/cells/gb" + suffix + "/undrain").then().statusCode(200);
        operator().post("/api/controlplane/cells/ga" + suffix + "/drain").then().statusCode(200);
        shopB = "gwb-" + suffix;
        idB = create(shopB, List.of());
        operator().post("/api/controlplane/cells/ga" + suffix + "/undrain").then().statusCode(200);
        assertEquals("ga" + suffix, operator.awaitActive(idA));
        assertEquals("ga" + suffix, operator.awaitActive(idA2));
        assertEquals("gb" + suffix, operator.awaitActive(idB));
        customA = "www." + shopA + ".example";
        operator().body(Map.of("host", customA)).post("/api/controlplane/tenants/" + idA + "/domains").then().statusCode(201);
        operator().post("/api/controlplane/tenants/" + idA + "/domains/" + customA + "/verify").then().statusCode(200);
    }

    @AfterAll
    static void stop() {
        Node.stopAll(gateway, cellA, cellB, control);
    }

    static RequestSpecification operator() {
        return operator.api();
    }

    static String create(String handle, List<String> domains) {
        var created = operator().body(Map.of("handle", handle, "plan", "basic", "domains", domains,
                        "ownerEmail", "o@" + handle + ".example"))
                .post("/api/controlplane/tenants").then().statusCode(202).extract();
        OWNER_PASSWORDS.put(handle, created.path("ownerPassword"));
        return created.path("id");
    }

    static Response viaGateway(String host, String path) {
        return given().baseUri(gateway.baseUrl()).header("Host", host).get(path);
    }

    static void servedThroughGateway(String host, String handle) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                viaGateway(host, "/api/storefront/shop").then().statusCode(200).body("handle", equalTo(handle)));
    }

    @Test
    @Order(2)
    void merchantsSignInToTheAdminThroughTheGateway() {
        String host = shopB + ".shops.localhost";
        servedThroughGateway(host, shopB);
        var signInPage = viaGateway(host, "/admin/sign-in").then().statusCode(200).contentType(containsString("text/html"))
                .extract();
        String formCookie = signInPage.cookie("sf_admin_form");
        String token = signInPage.htmlPath().getString("**.find { it.@name == '_csrf' }.@value");
        String session = given().baseUri(gateway.baseUrl()).header("Host", host).contentType(ContentType.URLENC)
                .redirects().follow(false).cookie("sf_admin_form", formCookie).formParam("_csrf", token)
                .formParam("email", "o@" + shopB + ".example").formParam("password", OWNER_PASSWORDS.get(shopB))
                .post("/admin/sign-in").then().statusCode(303).header("Location", endsWith("/admin")).extract().cookie("sf_admin");
        given().baseUri(gateway.baseUrl()).header("Host", host).cookie("sf_admin", session).get("/admin/settings").then()
                .statusCode(200).body(containsString(host)).body(containsString(shopB));
        // the same session is worth nothing on another shop's host
        given().baseUri(gateway.baseUrl()).header("Host", shopA + ".shops.localhost").cookie("sf_admin", session)
                .redirects().follow(false).get("/admin/settings").then().statusCode(303)
                .header("Location", containsString("/admin/sign-in"));
    }

    @Test
    @Order(1)
    void shopsOnTwoCellsAreServedByHostName() {
        servedThroughGateway(shopA + ".shops.localhost", shopA);
        servedThroughGateway(shopB + ".shops.localhost", shopB);
        servedThroughGateway(shopA2 + ".shops.localhost", shopA2);
        servedThroughGateway(customA, shopA);
        servedThroughGateway(shopA.toUpperCase() + ".Shops.Localhost.:443", shopA);
        viaGateway("nobody.shops.localhost", "/api/storefront/shop").then().statusCode(404);
        // the cell trusts only the gateway's signed header, not one a client sends
        given().baseUri(gateway.baseUrl()).header("Host", shopA + ".shops.localhost")
                .header("X-Storefront-Tenant", idB + ".1.forged").get("/api/storefront/shop").then()
                .statusCode(200).body("handle", equalTo(shopA));
    }

    @Test
    @Order(1)
    void operatorViewsHealthAndMetricsAnswerOnlyOnTheManagementInterface() throws Exception {
        String host = shopA + ".shops.localhost";
        servedThroughGateway(host, shopA);
        // the view counts over whole 10 s windows: keep the shop busy until one has passed
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            viaGateway(host, "/api/storefront/shop").then().statusCode(200);
            given().baseUri(gateway.managementUrl()).get("/q/gateway/top-tenants").then().statusCode(200)
                    .body("top.handle", org.hamcrest.Matchers.hasItem(shopA));
        });
        given().baseUri(gateway.managementUrl()).get("/q/gateway/routes").then().statusCode(200).body("loaded", equalTo(true));
        for (Node node : List.of(gateway, control, cellA)) {
            given().baseUri(node.managementUrl()).get("/q/health/ready").then().statusCode(200);
            given().baseUri(node.managementUrl()).get("/q/metrics").then().statusCode(200);
        }
        // any shop's host, through the gateway and straight to the shop's cell
        Management.assertNotOnPublicPort(gateway.baseUrl(), host);
        Management.assertNotOnPublicPort(gateway.baseUrl(), customA);
        Management.assertNotOnPublicPort(cellA.baseUrl(), host);
        Management.assertNotOnPublicPort(control.baseUrl(), "127.0.0.1");
    }

    /** Sends a raw HTTP/1.1 request to the gateway. */
    static RawHttp.Response raw(String request) throws java.io.IOException {
        return RawHttp.send(gateway.baseUrl(), request);
    }

    @Test
    @Order(1)
    void twoHostHeadersAreRefused() throws Exception {
        String a = shopA + ".shops.localhost";
        String b = shopB + ".shops.localhost";
        servedThroughGateway(a, shopA);
        RawHttp.Response response = raw("GET /api/storefront/shop HTTP/1.1\r\nHost: " + a + "\r\nHost: " + b
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(400, response.status(), response.head());
        assertTrue(response.header("Content-Type").startsWith(platform.Problem.MEDIA_TYPE), response.head());
        // the same host twice is two Host headers too
        assertEquals(400, raw("GET /api/storefront/shop HTTP/1.1\r\nHost: " + a + "\r\nHost: " + a
                + "\r\nConnection: close\r\n\r\n").status());
        // and an HTTP/1.1 request without one names no shop
        assertEquals(400, raw("GET /api/storefront/shop HTTP/1.1\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    @Order(1)
    void anAbsoluteFormTargetIsRoutedByItsAuthorityNotByTheHostHeader() throws Exception {
        String a = shopA + ".shops.localhost";
        String b = shopB + ".shops.localhost";
        servedThroughGateway(b, shopB);
        RawHttp.Response response = raw("GET http://" + b + "/api/storefront/shop HTTP/1.1\r\nHost: " + a
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, response.status(), response.head());
        assertTrue(response.body().contains("\"handle\":\"" + shopB + "\""), response.body());
        // an unknown authority is an unknown shop even with a known Host header
        assertEquals(404, raw("GET http://nobody.shops.localhost/api/storefront/shop HTTP/1.1\r\nHost: " + a
                + "\r\nConnection: close\r\n\r\n").status());
        // the target's path is normalised before anything else: no way to the management paths
        assertEquals(404, raw("GET http://" + b + "/api/storefront/../../q/metrics HTTP/1.1\r\nHost: " + b
                + "\r\nConnection: close\r\n\r\n").status());
        // a target that is not an http(s) URI with a host is refused
        assertEquals(400, raw("GET ftp://" + b + "/api/storefront/shop HTTP/1.1\r\nHost: " + b
                + "\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    @Order(1)
    void malformedRequestsAreRefusedBeforeRouting() throws Exception {
        String a = shopA + ".shops.localhost";
        servedThroughGateway(a, shopA);
        // Content-Length and Transfer-Encoding together (request smuggling): 400
        RawHttp.Response smuggled = raw("POST /api/storefront/carts HTTP/1.1\r\nHost: " + a
                + "\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n0\r\n\r\nGET /api/storefront/shop HTTP/1.1\r\nHost: " + a + "\r\n\r\n");
        assertEquals(400, smuggled.status(), smuggled.head());
        // headers larger than the server accepts: 431
        RawHttp.Response oversized = raw("GET /api/storefront/shop HTTP/1.1\r\nHost: " + a + "\r\nX-Big: "
                + "x".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertEquals(431, oversized.status(), oversized.head());
        // odd Unicode host names: raw UTF-8 in the Host header is refused by the HTTP layer (400), and
        // their punycode or percent-encoded forms, or lookalikes of a shop, name no shop (404 problem)
        for (String host : List.of("\u0430pple.shops.localhost", shopA + "\u200b.shops.localhost", "\u2460.shops.localhost",
                "sh\u00f6p.shops.localhost", "\ud83d\ude00.shops.localhost")) {
            RawHttp.Response response = RawHttp.send(gateway.baseUrl(), ("GET /api/storefront/shop HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, response.status(), host + ": " + response.head());
        }
        for (String host : List.of("xn--pple-43d.shops.localhost", "xn--" + shopA + ".shops.localhost", "%E2%91%A0.shops.localhost",
                shopA + ".shops.localhost%00", "[::1]")) {
            RawHttp.Response response = raw("GET /api/storefront/shop HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertEquals(404, response.status(), host + ": " + response.head());
            assertTrue(response.header("Content-Type").startsWith(platform.Problem.MEDIA_TYPE), host + ": " + response.head());
        }
    }

    @Test
    @Order(2)
    void aSignInFloodFromOneAddressIsRefusedAtTheGatewayAndOthersStillSignIn() throws Exception {
        String host = shopA + ".shops.localhost";
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        try (Node guarded = Node.gateway(Path.of("target/gateway-routes-guard-" + suffix + ".json").toAbsolutePath().toString())
                .with("GATEWAY_SIGN_IN_LIMIT", "1").with("GATEWAY_SIGN_IN_PERIOD", "1h").with("GATEWAY_SIGN_IN_BURST", "3").start()) {
            InetAddress flooder = InetAddress.getByName("127.0.0.2");
            await().atMost(Infra.PATIENCE).until(() -> RawHttp.send(guarded.baseUrl(), get(host, "/api/storefront/shop"), flooder).status() == 200);
            // the burst reaches the cell, which checks the (unknown) account: 401
            for (int i = 0; i < 3; i++) {
                RawHttp.Response answer = RawHttp.send(guarded.baseUrl(), tokenRequest(host, "nobody" + i + "@flood.example"), flooder);
                assertEquals(401, answer.status(), answer.head() + "\n" + answer.body());
            }
            // then the gateway refuses at once, without asking the cell (whose own limit is far away)
            RawHttp.Response refused = RawHttp.send(guarded.baseUrl(), tokenRequest(host, "nobody@flood.example"), flooder);
            assertEquals(429, refused.status(), refused.body());
            assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1, refused.head());
            assertTrue(refused.header("Content-Type").contains("problem+json"), refused.head());
            assertTrue(refused.body().contains("Too many sign-in attempts"), refused.body());
            assertTrue(Metrics.total(guarded.managementUrl(), "gateway_signin_refused_total") >= 1);
            // the form, and an invitation's acceptance, count too
            assertEquals(429, RawHttp.send(guarded.baseUrl(), formPost(host, "/admin/sign-in"), flooder).status());
            assertEquals(429, RawHttp.send(guarded.baseUrl(), formPost(host, "/admin/invitations/abc"), flooder).status());
            // the flooding address still reads the storefront; another address still signs in
            assertEquals(200, RawHttp.send(guarded.baseUrl(), get(host, "/api/storefront/shop"), flooder).status());
            RawHttp.Response other = RawHttp.send(guarded.baseUrl(), tokenRequest(host, "nobody@flood.example"),
                    InetAddress.getByName("127.0.0.3"));
            assertEquals(401, other.status(), other.body());
        }
    }

    static byte[] get(String host, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] tokenRequest(String host, String email) {
        String body = "{\"email\":\"" + email + "\",\"password\":\"guess-1234567\"}";
        return ("POST /api/admin/tokens HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] formPost(String host, String path) {
        String body = "email=nobody%40flood.example&password=guess";
        return ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    @Order(2)
    void aTenantOverItsLimitIsThrottledAloneWithAndWithoutRedis() throws Exception {
        assertThrottled();
        Infra.infra("stop", "redis");
        try {
            assertThrottled();
        } finally {
            Infra.infra("start", "redis");
        }
    }

    static void assertThrottled() throws Exception {
        // start from a full bucket: wait until the limiter reports (nearly) its whole burst available
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response probe = viaGateway(shopA + ".shops.localhost", "/api/storefront/shop");
            String header = probe.header("RateLimit");
            return probe.statusCode() == 200 && header != null
                    && Integer.parseInt(header.replaceAll(".*remaining=(\\d+).*", "$1")) >= 90;
        });
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            burst.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/storefront/shop"))
                    .header("Host", shopA + ".shops.localhost").timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int throttled = 0;
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> response = f.get();
            if (response.statusCode() == 200) {
                ok++;
            } else if (response.statusCode() == 429) {
                throttled++;
                assertTrue(response.headers().firstValue("Retry-After").isPresent(), "Retry-After");
                assertTrue(response.headers().firstValue("RateLimit").orElse("").contains("remaining=0"), "RateLimit header");
                assertTrue(response.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
            } else {
                throw new AssertionError("unexpected " + response.statusCode() + ": " + response.body());
            }
        }
        assertTrue(throttled > 0, "some of 250 requests at once are over a limit of 50/s with a burst of 100");
        assertTrue(ok >= 85, "the burst passes: " + ok);
        // its neighbour on the same cell, and a shop on another cell, are not throttled
        viaGateway(shopA2 + ".shops.localhost", "/api/storefront/shop").then().statusCode(200);
        viaGateway(shopB + ".shops.localhost", "/api/storefront/shop").then().statusCode(200);
    }

    @Test
    @Order(3)
    void anOperatorOverrideOfTheLimitReachesTheGateway() {
        operator().body(Map.of("requestsPerSecond", 5000, "burst", 10000)).put("/api/controlplane/tenants/" + idA + "/limits")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                viaGateway(shopA + ".shops.localhost", "/api/storefront/shop").then().statusCode(200)
                        .header("RateLimit-Policy", "5000;w=1;burst=10000"));
        operator().body("{}").put("/api/controlplane/tenants/" + idA + "/limits").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                viaGateway(shopA + ".shops.localhost", "/api/storefront/shop").then()
                        .header("RateLimit-Policy", "50;w=1;burst=100"));
    }

    @Test
    @Order(4)
    void aDeadCellFailsOnlyItsOwnShopsQuickly() {
        cellB.stop();
        try {
            // what the gateway has not cached (its cached answers are served stale meanwhile: EdgeCacheIT)
            long start = System.nanoTime();
            int status = viaGateway(shopB + ".shops.localhost", "/api/storefront/shop?uncached=" + UUID.randomUUID()).statusCode();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(status == 502 || status == 503, "status " + status);
            assertTrue(millis < 2_000, "answered in " + millis + " ms");
            for (int i = 0; i < 5; i++) {
                viaGateway(shopB + ".shops.localhost", "/api/storefront/shop?uncached=" + UUID.randomUUID()).then()
                        .statusCode(org.hamcrest.Matchers.oneOf(502, 503));
                await().atMost(Infra.PATIENCE).untilAsserted(() ->
                        viaGateway(shopA + ".shops.localhost", "/api/storefront/shop").then().statusCode(200));
            }
        } finally {
            cellB.start();
        }
        servedThroughGateway(shopB + ".shops.localhost", shopB);
    }

    @Test
    @Order(5)
    void routingSurvivesTheControlNodeAndAGatewayRestart() {
        control.stop();
        servedThroughGateway(shopA + ".shops.localhost", shopA);
        servedThroughGateway(shopB + ".shops.localhost", shopB);
        gateway.stop();
        gateway.start();
        assertEquals(200, viaGateway(shopA + ".shops.localhost", "/api/storefront/shop").statusCode());
        servedThroughGateway(customA, shopA);
        servedThroughGateway(shopB + ".shops.localhost", shopB);
    }
}
