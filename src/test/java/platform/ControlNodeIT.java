package platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import testsupport.Infra;

/** The packaged application started as the control node serves the control plane and nothing else. */
@QuarkusIntegrationTest
@TestProfile(ControlRoleProfile.class)
class ControlNodeIT {

    private static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + ControlRoleProfile.OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    private static String newCellId() {
        return "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void operatorApiNeedsTheOperatorCredential() {
        given().get("/api/controlplane/cells").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer wrong").get("/api/controlplane/cells").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE);
        operator().get("/api/controlplane/cells").then().statusCode(200);
    }

    @Test
    void registersCellsAndRejectsBadInputWithProblems() {
        String id = newCellId();
        String body = "{\"id\":\"" + id + "\",\"baseUrl\":\"http://127.0.0.1:8101\",\"capacityTenants\":1000,\"capacityLoad\":5000}";
        operator().body(body).post("/api/controlplane/cells").then().statusCode(201)
                .header("Location", containsString("/api/controlplane/cells/" + id))
                .body("state", equalTo("active")).body("healthy", equalTo(false));
        operator().get("/api/controlplane/cells/" + id).then().statusCode(200).body("id", equalTo(id));
        operator().body(body).post("/api/controlplane/cells").then().statusCode(409).contentType(Problem.MEDIA_TYPE);

        operator().body("{\"id\":\"Bad Id\",\"baseUrl\":\"ftp://x\",\"capacityTenants\":0,\"capacityLoad\":1}")
                .post("/api/controlplane/cells").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItems("id", "baseUrl", "capacityTenants"));
        operator().body("{\"id\":\"" + newCellId() + "\",\"baseUrl\":\"http://h\",\"capacityTenants\":\"many\",\"capacityLoad\":1}")
                .post("/api/controlplane/cells").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("capacityTenants"));
        operator().body("{\"id\":").post("/api/controlplane/cells").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("Malformed JSON"));
        operator().get("/api/controlplane/cells/nosuchcell").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void answersBadIdsAndParametersWithProblemsNotServerErrors() {
        // NUL and other control characters never reach the database (PostgreSQL refuses 0x00 in text)
        for (String path : List.of("/api/controlplane/cells/%E2%80%AE%00x/drain",
                "/api/controlplane/cells/%E2%80%AE%00x/undrain")) {
            operator().urlEncodingEnabled(false).post(path).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("status", equalTo(400));
        }
        operator().urlEncodingEnabled(false).get("/api/controlplane/cells/%00").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("status", equalTo(400));
        operator().urlEncodingEnabled(false).get("/api/controlplane/tenants?cell=%01").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        // ids are validated at the resource edge and the offending one is named
        for (String path : List.of("/api/controlplane/cells/%E2%80%AEx", "/api/controlplane/cells/Bad%20Id")) {
            operator().urlEncodingEnabled(false).get(path).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors.field", hasItem("id"));
            operator().urlEncodingEnabled(false).post(path + "/drain").then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("id"));
        }
        operator().get("/api/controlplane/tenants?cell=Not_A_Cell").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("cell"));
        // a value PostgreSQL still refuses (a cursor that decodes to text with NUL) is the caller's fault: 400
        String nulCursor = java.util.Base64.getUrlEncoder().encodeToString("a\0b".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        operator().get("/api/controlplane/tenants?after=" + nulCursor).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("status", equalTo(400));
    }

    @Test
    void heartbeatsFromKafkaMakeACellHealthy() {
        String id = newCellId();
        operator().body("{\"id\":\"" + id + "\",\"baseUrl\":\"http://127.0.0.1:8102\",\"capacityTenants\":10,\"capacityLoad\":10}")
                .post("/api/controlplane/cells").then().statusCode(201);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.KAFKA);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Infra.topic("tenancy.cell-heartbeats"), id, "not json"));
            await().atMost(Infra.PATIENCE).untilAsserted(() -> {
                String heartbeat = "{\"cellId\":\"" + id + "\",\"baseUrl\":\"http://127.0.0.1:8102\",\"tenants\":7,"
                        + "\"requestRate\":1.5,\"dbUtilisation\":0.25,\"reportedAt\":\"" + Instant.now() + "\"}";
                producer.send(new ProducerRecord<>(Infra.topic("tenancy.cell-heartbeats"), id, heartbeat)).get();
                operator().get("/api/controlplane/cells/" + id).then().statusCode(200)
                        .body("healthy", equalTo(true)).body("reportedTenants", equalTo(7));
            });
        }
    }

    @Test
    void answersNotFoundOnCellAndAdminPaths() {
        NodeChecks.notServed("/api/tenancy/cell");
        NodeChecks.notServed("/admin");
    }

    @Test
    void readinessCoversPostgresAndKafkaButNotRedis() {
        List<String> checks = NodeChecks.readyChecks();
        assertTrue(checks.containsAll(List.of("kafka", "Database connections health check")), checks.toString());
        assertFalse(checks.contains("redis"));
        @SuppressWarnings("unchecked")
        Map<String, Object> databases = (Map<String, Object>) NodeChecks.check("Database connections health check").get("data");
        assertEquals(Map.of("control", "UP"), databases);
    }

    @Test
    void opensNoConnectionToACellDatabase() throws SQLException {
        operator().get("/api/controlplane/cells").then().statusCode(200);
        assertTrue(Infra.connections(Infra.TEST_CONTROL_DB, "storefront-control") >= 1);
        assertEquals(0, Infra.connectionsOutside(Infra.TEST_CONTROL_DB, "storefront-control"));
    }

    @Test
    void readinessFollowsPostgres() {
        NodeChecks.readinessFollows("postgres", "Database connections health check");
    }

    @Test
    void metricsCarryRole() {
        NodeChecks.metricsTagged("control", "none");
    }

    @Test
    void servesHealthMetricsAndApiDescriptionOnlyOnTheManagementInterface() throws Exception {
        NodeChecks.managementOnlyOnItsOwnPort("127.0.0.1");
    }
}
