package gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import testsupport.Infra;
import testsupport.Metrics;
import testsupport.Node;
import testsupport.Operator;

/**
 * Admission to a cell at the gateway (ADR 0016) on a whole platform on loopback (control node, one
 * cell, one gateway whose limit for a cell is fixed at 4): while the cell is stalled (frozen with
 * SIGSTOP, so nothing it holds ends), a shop flooding it with requests at once gets 503 with
 * {@code Retry-After} beyond its share, while a quiet shop on the same cell is still admitted and
 * answered, and cached answers are still served; the cells' saturation reaches the control plane and
 * the gateway through their heartbeats.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CellAdmissionIT {

    static final int LIMIT = 4;
    static final int FLOOD = 12;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    static Node control;
    static Node gateway;
    static Node cell;
    static String cellId;
    static Operator operator;
    static String flooder;
    static String quiet;

    @BeforeAll
    static void platform() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Path snapshot = Path.of("target/gateway-routes-admission-" + suffix + ".json").toAbsolutePath();
        Files.deleteIfExists(snapshot);
        cellId = "ad" + suffix;
        control = Node.control(1).start();
        operator = new Operator(control);
        cell = Node.cell(cellId, Infra.TEST_CELL_DB, 1).start();
        gateway = Node.gateway(snapshot.toString())
                .with("GATEWAY_ADMISSION_MIN_LIMIT", String.valueOf(LIMIT))
                .with("GATEWAY_ADMISSION_INITIAL_LIMIT", String.valueOf(LIMIT))
                .with("GATEWAY_ADMISSION_MAX_LIMIT", String.valueOf(LIMIT))
                .with("GATEWAY_ADMISSION_RETRY_AFTER", "2").start();
        operator.register(cellId, cell, 1000, 100_000);
        // both shops of this test on this cell: the cells of earlier tests are drained meanwhile
        operator.drainAllBut(cellId);
        String idFlooder = operator.create("adf-" + suffix).id();
        String idQuiet = operator.create("adq-" + suffix).id();
        for (String id : List.of(idFlooder, idQuiet)) {
            assertEquals(cellId, operator.awaitActive(id));
        }
        flooder = "adf-" + suffix + ".shops.localhost";
        quiet = "adq-" + suffix + ".shops.localhost";
        for (String host : List.of(flooder, quiet)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    shopper(host).get("/api/storefront/shop?probe=" + UUID.randomUUID()).then().statusCode(200));
        }
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.undrainDrained();
        }
        Node.stopAll(gateway, cell, control);
    }

    static RequestSpecification operator() {
        return operator.api();
    }

    static RequestSpecification shopper(String host) {
        return given().baseUri(gateway.baseUrl()).header("Host", host);
    }

    /** A read the gateway sends to the cell: a key the edge cache has not seen, or (with a cookie) past it. */
    static CompletableFuture<HttpResponse<String>> toCell(String host, boolean withCookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/storefront/shop?n=" + UUID.randomUUID()))
                .header("Host", host).timeout(Duration.ofSeconds(30));
        if (withCookie) {
            request.header("Cookie", "session=none");
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** This cell in the gateway's admission view. */
    static JsonPath admission() {
        JsonPath view = given().baseUri(gateway.managementUrl()).get("/q/gateway/admission").then().statusCode(200)
                .extract().jsonPath();
        return new JsonPath(view.prettify()).setRootPath("cells.find { it.cellId == '" + cellId + "' }");
    }

    @Test
    @Order(1)
    void theCellsSaturationReachesTheControlPlaneAndTheGateway() {
        await().atMost(Infra.PATIENCE).untilAsserted(() -> operator().get("/api/controlplane/cells/" + cellId).then()
                .statusCode(200).body("saturation.maxWorkers", greaterThan(0)).body("saturation.dbWaiting", notNullValue())
                .body("saturation.cpu", notNullValue()));
        await().atMost(Infra.PATIENCE).untilAsserted(() -> given().baseUri(gateway.managementUrl()).get("/q/gateway/admission")
                .then().statusCode(200).body("enabled", equalTo(true))
                .body("cells.find { it.cellId == '" + cellId + "' }.saturation.maxWorkers", greaterThan(0))
                .body("cells.find { it.cellId == '" + cellId + "' }.limit", equalTo(LIMIT)));
    }

    @Test
    @Order(2)
    void aFloodingShopIsShedWhileAQuietNeighbourIsServed() throws Exception {
        // a cached answer of the flooding shop, served without the cell below
        shopper(flooder).get("/api/storefront/shop").then().statusCode(200);
        shopper(flooder).get("/api/storefront/shop").then().statusCode(200).header("X-Cache", "HIT");
        double shedBefore = Metrics.byTag(gateway.managementUrl(), "gateway_admission_shed_total", "cell").getOrDefault(cellId, 0.0);
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> neighbour;
        Infra.freeze(cell.pid());
        try {
            for (int i = 0; i < FLOOD; i++) {
                flood.add(toCell(flooder, i % 2 == 1)); // through the edge cache's fetch and past it
            }
            // what is beyond the cell's limit is answered at once, without the (stalled) cell
            await().atMost(Duration.ofSeconds(8)).until(() -> flood.stream().filter(CompletableFuture::isDone).count() >= FLOOD - LIMIT);
            for (CompletableFuture<HttpResponse<String>> answered : flood.stream().filter(CompletableFuture::isDone).toList()) {
                HttpResponse<String> shed = answered.get();
                assertEquals(503, shed.statusCode(), shed.body());
                assertEquals("2", shed.headers().firstValue("Retry-After").orElse(null), shed.headers().toString());
                assertTrue(shed.headers().firstValue("Content-Type").orElse("").startsWith(platform.Problem.MEDIA_TYPE), shed.headers().toString());
                assertTrue(shed.body().contains("\"status\":503") && shed.body().contains("Shop busy"), shed.body());
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertEquals(LIMIT, admission().getInt("inflight"));
                assertEquals(1, admission().getInt("tenants"));
            });
            // the quiet shop has nothing in flight: admitted although the cell is at its limit
            neighbour = toCell(quiet, false);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertEquals(LIMIT + 1, admission().getInt("inflight"));
                assertEquals(2, admission().getInt("tenants"));
            });
            // the flooding shop's next request is shed, its cached answer still served
            assertEquals(503, toCell(flooder, false).get().statusCode());
            shopper(flooder).get("/api/storefront/shop").then().statusCode(200).header("X-Cache", oneOf("HIT", "STALE"));
        } finally {
            Infra.thaw(cell.pid());
        }
        // the admitted requests are answered once the cell goes on, the neighbour's included
        HttpResponse<String> served = neighbour.get();
        assertEquals(200, served.statusCode(), served.body());
        assertTrue(served.body().contains("\"handle\":\"adq-"), served.body());
        long shed = 0;
        for (CompletableFuture<HttpResponse<String>> request : flood) {
            HttpResponse<String> response = request.get();
            assertTrue(response.statusCode() == 200 || response.statusCode() == 503, response.statusCode() + ": " + response.body());
            shed += response.statusCode() == 503 ? 1 : 0;
        }
        assertTrue(shed >= FLOOD - LIMIT, "shed " + shed + " of " + FLOOD);
        assertTrue(Metrics.byTag(gateway.managementUrl(), "gateway_admission_shed_total", "cell").get(cellId) - shedBefore >= shed + 1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals(0, admission().getInt("inflight")));
        // and everyone is admitted again
        shopper(flooder).get("/api/storefront/shop?after=" + UUID.randomUUID()).then().statusCode(200);
        shopper(quiet).get("/api/storefront/shop?after=" + UUID.randomUUID()).then().statusCode(200);
        assertEquals(LIMIT, Metrics.byTag(gateway.managementUrl(), "gateway_admission_limit", "cell").get(cellId), 0.0);
        assertTrue(Metrics.byTag(gateway.managementUrl(), "gateway_admission_inflight", "cell").containsKey(cellId));
        assertTrue(Metrics.byTag(gateway.managementUrl(), "gateway_requests_total", "outcome").get("shed") >= shed + 1);
    }
}
