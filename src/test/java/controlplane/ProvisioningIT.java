package controlplane;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import controlplane.internal.placement.CellState;
import controlplane.internal.placement.PlacementService;
import controlplane.internal.placement.TenantDemand;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import platform.ControlRoleProfile;
import platform.Problem;
import tenancy.ProvisionTenant;
import testsupport.Infra;
import testsupport.Node;
import testsupport.TopicRecords;

/** The control plane creates shops, places them as its state predicts, and provisions them on real cell nodes. */
@QuarkusIntegrationTest
@TestProfile(ProvisioningProfile.class)
class ProvisioningIT {

    static Node cell;
    static String cellId;

    @BeforeEach
    void cell() {
        if (cell == null) {
            cellId = "t" + UUID.randomUUID().toString().substring(0, 8);
            cell = Node.cell(cellId, Infra.TEST_CELL2_DB, 1).start();
            operator().body(Map.of("id", cellId, "baseUrl", cell.baseUrl(), "capacityTenants", 100_000, "capacityLoad", 1_000_000))
                    .post("/api/controlplane/cells").then().statusCode(201);
            await().atMost(Infra.PATIENCE).until(() -> operator().get("/api/controlplane/cells/" + cellId)
                    .then().extract().<Boolean>path("healthy"));
        }
    }

    @AfterAll
    static void stopCell() {
        if (cell != null) {
            cell.stop();
        }
    }

    static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + ControlRoleProfile.OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    static String handle(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Where placement puts a basic shop, computed from the cells the control plane reports. */
    static String predictedCell() {
        List<Map<String, Object>> cells = operator().get("/api/controlplane/cells").then().statusCode(200).extract().jsonPath().getList("$");
        List<CellState> states = cells.stream().map(c -> new CellState((String) c.get("id"),
                ((Number) c.get("capacityTenants")).intValue(), ((Number) c.get("capacityLoad")).longValue(),
                (Boolean) c.get("dedicated"), "draining".equals(c.get("state")), (Boolean) c.get("healthy"),
                Math.max(((Number) c.get("tenants")).longValue(), ((Number) c.get("reportedTenants")).longValue()),
                Math.max(((Number) c.get("reportedRequestRate")).doubleValue(), ((Number) c.get("expectedLoad")).doubleValue()),
                ((Number) c.get("reportedDbUtilisation")).doubleValue()))
                .toList();
        return new PlacementService().place(states, new TenantDemand("basic", false, 1.0)).orElseThrow().cellId();
    }

    static JsonPath create(String handle, List<String> domains) {
        return operator().body(Map.of("handle", handle, "plan", "basic", "domains", domains, "ownerEmail", "owner@" + handle + ".example"))
                .post("/api/controlplane/tenants").then().statusCode(202).extract().jsonPath();
    }

    @Test
    void aNewShopIsPlacedAsPredictedAndServesFromItsCell() {
        String expected = predictedCell();
        String handle = handle("fresh");
        JsonPath tenant = create(handle, List.of());
        assertEquals(expected, tenant.getString("cellId"));
        String id = tenant.getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "active".equals(operator().get("/api/controlplane/tenants/" + id).then().extract().path("status")));
        if (expected.equals(cellId)) {
            given().baseUri("http://127.0.0.1").port(cell.port()).header("Host", handle + ".shops.localhost")
                    .get("/api/storefront/shop").then().statusCode(200).body("handle", equalTo(handle));
            // the owner signs in with the password from the creation response
            given().baseUri("http://127.0.0.1").port(cell.port()).header("Host", handle + ".shops.localhost")
                    .contentType(ContentType.JSON)
                    .body(Map.of("email", "owner@" + handle + ".example", "password", tenant.getString("ownerPassword")))
                    .post("/api/admin/tokens").then().statusCode(201);
        }
        operator().get("/api/controlplane/tenants/" + id + "/history").then().statusCode(200)
                .body("to", equalTo(List.of("requested", "placing", "provisioning", "active")));
    }

    @Test
    void aRetriedCreateReturnsTheSameAnswer() {
        String handle = handle("retry");
        String key = "create-" + handle;
        Map<String, Object> body = Map.of("handle", handle, "plan", "basic", "ownerEmail", "o@" + handle + ".example");
        JsonPath first = operator().header("Idempotency-Key", key).body(body).post("/api/controlplane/tenants").then()
                .statusCode(202).extract().jsonPath();
        JsonPath again = operator().header("Idempotency-Key", key).body(body).post("/api/controlplane/tenants").then()
                .statusCode(202).header("Idempotent-Replayed", "true").extract().jsonPath();
        Map<String, Object> expected = new HashMap<>(first.getMap("$"));
        expected.put("ownerPassword", null); // in the first answer only: never stored
        assertEquals(expected, again.getMap("$"));
    }

    @Test
    void anIdempotencyKeyIsBoundToItsRequest() {
        String handle = handle("bound");
        String other = handle("other");
        String key = "create-" + handle;
        String first = operator().header("Idempotency-Key", key)
                .body(Map.of("handle", handle, "plan", "basic", "ownerEmail", "o@" + handle + ".example"))
                .post("/api/controlplane/tenants").then().statusCode(202).extract().path("id");
        operator().header("Idempotency-Key", key)
                .body(Map.of("handle", other, "plan", "basic", "ownerEmail", "o@" + other + ".example"))
                .post("/api/controlplane/tenants").then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("Idempotency-Key"));
        // no tenant was created for the refused request: its handle is still free
        String created = create(other, List.of()).getString("id");
        assertTrue(!created.equals(first));
    }

    @Test
    void concurrentCreatesWithOneKeyMakeOneTenant() throws Exception {
        String handle = handle("race");
        String key = "create-" + handle;
        String body = "{\"handle\":\"" + handle + "\",\"plan\":\"basic\",\"ownerEmail\":\"o@" + handle + ".example\"}";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = RestAssured.baseURI + ":" + RestAssured.port;
        int concurrent = 6;
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(URI.create(base + "/api/controlplane/tenants"))
                        .header("Authorization", "Bearer " + ControlRoleProfile.OPERATOR_TOKEN)
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (var answer : answers) {
            var response = answer.get();
            if (response.statusCode() == 202) {
                ids.add(JsonPath.from(response.body()).getString("id"));
                if (response.headers().firstValue("Idempotent-Replayed").isEmpty()) {
                    created++;
                }
            } else if (response.statusCode() == 409) {
                assertEquals("Idempotency-Key", JsonPath.from(response.body()).getString("errors[0].field"), response.body());
            } else {
                throw new AssertionError("unexpected status " + response.statusCode() + ": " + response.body());
            }
        }
        pool.shutdown();
        assertEquals(1, created, "exactly one request created the tenant");
        assertEquals(1, ids.size(), "replays answer with the same tenant: " + ids);
    }

    @Test
    void aShopPlacedOnAStoppedCellBecomesActiveWhenTheCellReturns() {
        cell.stop();
        String handle;
        String id;
        try {
            handle = handle("waiting");
            JsonPath tenant = create(handle, List.of());
            assertEquals(cellId, tenant.getString("cellId"), "placed on the stopped cell, still counted healthy");
            id = tenant.getString("id");
            operator().get("/api/controlplane/tenants/" + id).then().body("status", equalTo("provisioning"));
        } finally {
            cell.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "active".equals(operator().get("/api/controlplane/tenants/" + id).then().extract().path("status")));
        given().baseUri("http://127.0.0.1").port(cell.port()).header("Host", handle + ".shops.localhost")
                .get("/api/storefront/shop").then().statusCode(200);
        List<String> steps = operator().get("/api/controlplane/tenants/" + id + "/history").then().extract().jsonPath().getList("to");
        assertEquals(1, steps.stream().filter("active"::equals).count(), "active exactly once: " + steps);
    }

    @Test
    void theOwnersCredentialTravelsSealedAndOnlyToItsCell() throws Exception {
        String handle = handle("sealed");
        JsonPath created = create(handle, List.of());
        assertEquals(cellId, created.getString("cellId"));
        String id = created.getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "active".equals(operator().get("/api/controlplane/tenants/" + id).then().extract().path("status")));
        String ownTopic = Infra.topic(ProvisionTenant.topicFor(cellId));
        List<String> commands = TopicRecords.all(ownTopic).stream().filter(r -> id.equals(r.key())).map(r -> r.value()).toList();
        assertFalse(commands.isEmpty(), "the command is on the cell's own topic " + ownTopic);
        for (String command : commands) {
            String credential = JsonPath.from(command).getString("data.ownerCredential");
            assertTrue(credential.startsWith("sealed1."), "sealed: " + credential);
            assertFalse(command.contains("pbkdf2") || command.contains("argon2"), "no readable password hash: " + command);
        }
        // no other cell's topic (nor the shared topic of earlier versions) carries anything of this shop
        for (String topic : TopicRecords.topics()) {
            if (topic.startsWith(Infra.topic("tenancy.commands")) && !topic.equals(ownTopic)) {
                assertTrue(TopicRecords.all(topic).stream().noneMatch(r -> id.equals(r.key()) || r.value().contains(handle)), topic);
            }
        }
        // once the cell has the owner, the control plane keeps no credential of it
        try (Connection db = Infra.owner(Infra.TEST_CONTROL_DB);
             PreparedStatement query = db.prepareStatement("select owner_password_hash from controlplane_tenant where tenant_id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                assertNull(row.getString(1));
            }
        }
        // and the owner signs in on the cell with the password of the creation response
        given().baseUri("http://127.0.0.1").port(cell.port()).header("Host", handle + ".shops.localhost")
                .contentType(ContentType.JSON)
                .body(Map.of("email", "owner@" + handle + ".example", "password", created.getString("ownerPassword")))
                .post("/api/admin/tokens").then().statusCode(201);
    }

    @Test
    void aShopItsCellRefusesBecomesFailedWithTheCellsReason() throws Exception {
        String handle = handle("taken");
        String host = handle + ".shops.localhost";
        // the cell already serves this host for another tenant (state the control plane does not know of)
        UUID squatter = UUID.randomUUID();
        try (Connection db = Infra.owner(Infra.TEST_CELL2_DB);
             PreparedStatement tenant = db.prepareStatement("insert into tenancy_tenant (tenant_id, handle, status, plan) values (?, ?, 'active', 'basic')");
             PreparedStatement hostRow = db.prepareStatement("insert into tenancy_host (host, tenant_id) values (?, ?)")) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, squatter);
            tenant.setObject(1, squatter);
            tenant.setString(2, handle("squatter"));
            tenant.executeUpdate();
            hostRow.setString(1, host);
            hostRow.setObject(2, squatter);
            hostRow.executeUpdate();
            db.commit();
        }
        JsonPath created = create(handle, List.of());
        assertEquals(cellId, created.getString("cellId"), "placed on the cell that holds the host");
        String id = created.getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "failed".equals(operator().get("/api/controlplane/tenants/" + id).then().extract().path("status")));
        operator().get("/api/controlplane/tenants/" + id).then().statusCode(200)
                .body("statusReason", equalTo("refused by " + cellId + ": host " + host + " already belongs to another tenant"));
        operator().get("/api/controlplane/tenants/" + id + "/history").then().statusCode(200)
                .body("to", equalTo(List.of("requested", "placing", "provisioning", "failed")));
        // the cell kept nothing of the refused shop, and still serves the host for its tenant
        try (Connection db = Infra.owner(Infra.TEST_CELL2_DB);
             PreparedStatement rows = db.prepareStatement("select count(*) from tenancy_tenant where tenant_id = ? or handle = ?")) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, UUID.fromString(id));
            rows.setObject(1, UUID.fromString(id));
            rows.setString(2, handle);
            try (ResultSet r = rows.executeQuery()) {
                r.next();
                assertEquals(0, r.getLong(1));
            }
        }
    }

    @Test
    void badRequestsGetProblems() {
        String taken = handle("taken");
        create(taken, List.of("shop." + taken + ".example"));
        operator().body(Map.of("handle", taken, "plan", "basic", "ownerEmail", "x@example.com"))
                .post("/api/controlplane/tenants").then().statusCode(409).contentType(Problem.MEDIA_TYPE);
        operator().body(Map.of("handle", handle("other"), "plan", "basic", "ownerEmail", "x@example.com",
                        "domains", List.of("SHOP." + taken + ".example.")))
                .post("/api/controlplane/tenants").then().statusCode(409);
        operator().body(Map.of("handle", "Bad Handle!", "plan", "basic", "ownerEmail", "x@example.com"))
                .post("/api/controlplane/tenants").then().statusCode(400).body("errors.field", hasItem("handle"));
        operator().body(Map.of("handle", "admin", "plan", "basic", "ownerEmail", "x@example.com"))
                .post("/api/controlplane/tenants").then().statusCode(400).body("errors.field", hasItem("handle"));
        operator().body(Map.of("handle", handle("dom"), "plan", "basic", "ownerEmail", "x@example.com",
                        "domains", List.of("not a host")))
                .post("/api/controlplane/tenants").then().statusCode(400).body("errors.field", hasItem("domains[0]"));
        operator().body(Map.of("handle", handle("own"), "plan", "basic", "ownerEmail", "x@example.com",
                        "domains", List.of("evil.shops.localhost")))
                .post("/api/controlplane/tenants").then().statusCode(400).body("errors.field", hasItem("domains[0]"));
        operator().body(Map.of("handle", handle("plan"), "plan", "gold", "ownerEmail", "x@example.com"))
                .post("/api/controlplane/tenants").then().statusCode(400).body("errors.field", hasItem("plan"));
        operator().get("/api/controlplane/cells/no-such-cell").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        operator().get("/api/controlplane/tenants/" + UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).get("/api/controlplane/tenants").then().statusCode(401);
        given().header("Authorization", "Bearer nope").get("/api/controlplane/tenants").then().statusCode(403);
    }

    @Test
    void suspendResumeAndDomains() {
        String handle = handle("life");
        String id = create(handle, List.of()).getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "active".equals(operator().get("/api/controlplane/tenants/" + id).then().extract().path("status")));
        operator().post("/api/controlplane/tenants/" + id + "/suspend").then().statusCode(200).body("status", equalTo("suspended"));
        // the cell itself refuses the suspended shop, also to requests that do not come through a gateway
        await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri("http://127.0.0.1").port(cell.port())
                .header("Host", handle + ".shops.localhost").get("/api/storefront/shop").statusCode() == 403);
        operator().post("/api/controlplane/tenants/" + id + "/resume").then().statusCode(200).body("status", equalTo("active"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri("http://127.0.0.1").port(cell.port())
                .header("Host", handle + ".shops.localhost").get("/api/storefront/shop").statusCode() == 200);
        operator().get("/api/controlplane/tenants/" + id).then().body("requestsPerSecond", equalTo(50)).body("burst", equalTo(100));
        operator().body(Map.of("requestsPerSecond", 500, "burst", 1000)).put("/api/controlplane/tenants/" + id + "/limits")
                .then().statusCode(200).body("requestsPerSecond", equalTo(500)).body("burst", equalTo(1000));
        operator().body(Map.of("requestsPerSecond", 0)).put("/api/controlplane/tenants/" + id + "/limits")
                .then().statusCode(400).body("errors.field", hasItem("requestsPerSecond"));
        operator().body("{}").put("/api/controlplane/tenants/" + id + "/limits").then().statusCode(200)
                .body("requestsPerSecond", equalTo(50));
        String custom = "www." + handle + ".example";
        operator().body(Map.of("host", "WWW." + handle + ".Example.")).post("/api/controlplane/tenants/" + id + "/domains")
                .then().statusCode(201).body("host", equalTo(custom)).body("verified", equalTo(false));
        operator().post("/api/controlplane/tenants/" + id + "/domains/" + custom + "/verify").then().statusCode(200)
                .body("verified", equalTo(true));
        JsonPath tenant = operator().get("/api/controlplane/tenants/" + id).then().extract().jsonPath();
        assertTrue(tenant.getList("domains.host").contains(custom));
        operator().get("/api/controlplane/tenants?status=active&limit=500").then().statusCode(200);
        operator().queryParam("status", "sleeping").get("/api/controlplane/tenants").then().statusCode(400)
                .body("errors.field", hasItem("status"));
        operator().delete("/api/controlplane/tenants/" + id + "/domains/" + handle + ".shops.localhost").then().statusCode(409);
        operator().delete("/api/controlplane/tenants/" + id + "/domains/" + custom).then().statusCode(204);
    }
}
