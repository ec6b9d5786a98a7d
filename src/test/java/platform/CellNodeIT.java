package platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import testsupport.Catalogs;
import testsupport.Infra;
import testsupport.Shops;

/** The packaged application started as a cell node serves the cell role's parts and nothing else. */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class CellNodeIT {

    @Test
    void servesItsOwnEndpoints() {
        given().get("/api/tenancy/cell").then().statusCode(200)
                .body("cellId", equalTo("cell1"))
                .body("tenants", greaterThanOrEqualTo(0));
        given().get("/api/platform/ping").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void answersNotFoundOnControlPlanePathsEvenWithAnOperatorToken() {
        NodeChecks.notServed("/api/controlplane/cells");
        NodeChecks.notServed("/api/controlplane/cells/cell1");
    }

    @Test
    void answersBadParametersAndValuesWithProblemsNotServerErrors() {
        Shops.Shop shop = Shops.create("cell1", "badinput");
        String token = Shops.ownerToken(shop);
        // NUL and other control characters in a path or query never reach the cell's database
        given().urlEncodingEnabled(false).header("Host", shop.host()).get("/api/storefront/products?q=%00").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("q"));
        given().urlEncodingEnabled(false).header("Host", shop.host()).header("Authorization", "Bearer " + token)
                .get("/api/admin/orders?email=a%00b").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().urlEncodingEnabled(false).header("Host", shop.host()).get("/api/storefront/products/%E2%80%AE%00x")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        // the control plane's paths on a cell: refused as input, never a 500
        given().urlEncodingEnabled(false).post("/api/controlplane/cells/%E2%80%AE%00x/drain").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().urlEncodingEnabled(false).get("/api/controlplane/cells/%00").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
        // a value PostgreSQL refuses in a body (NUL in text) is the caller's fault: 400, not 500
        Catalogs.admin(shop, token).body(Map.of("handle", "nul-title", "title", "a\0b"))
                .post("/api/admin/collections").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400));
    }

    @Test
    void readinessCoversPostgresRedisAndKafka() {
        List<String> checks = NodeChecks.readyChecks();
        assertTrue(checks.containsAll(List.of("kafka", "redis", "Database connections health check")), checks.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> databases = (Map<String, Object>) NodeChecks.check("Database connections health check").get("data");
        assertEquals(Map.of("cell", "UP"), databases);
    }

    @Test
    void readinessFollowsRedis() {
        NodeChecks.readinessFollows("redis", "redis");
    }

    @Test
    void metricsCarryRoleAndCell() {
        given().get("/api/tenancy/cell").then().statusCode(200);
        NodeChecks.metricsTagged("cell", "cell1");
    }

    @Test
    void logLinesCarryRoleAndCell() throws Exception {
        assertTrue(NodeChecks.log().contains("[role=cell cell=cell1 "), "log lines name role and cell");
    }

    @Test
    void usesOnlyTheCellDatabaseAsTheApplicationRole() throws SQLException {
        given().get("/api/tenancy/cell").then().statusCode(200);
        assertTrue(Infra.connections(Infra.TEST_CELL_DB, "storefront-cell-cell1") >= 1);
        assertEquals(0, Infra.connectionsOutside(Infra.TEST_CELL_DB, "storefront-cell"));
        try (Connection owner = Infra.owner(Infra.TEST_CELL_DB);
             Statement query = owner.createStatement();
             ResultSet rows = query.executeQuery("select tableowner from pg_tables where tablename = 'tenancy_tenant'")) {
            assertTrue(rows.next(), "the cell schema was migrated");
            assertEquals(Infra.OWNER, rows.getString(1));
        }
        try (Connection app = Infra.app(Infra.TEST_CELL_DB); Statement ddl = app.createStatement()) {
            assertThrows(SQLException.class, () -> ddl.execute("create table not_allowed (id int)"));
            assertThrows(SQLException.class, () -> ddl.execute("drop table tenancy_tenant"));
        }
    }

    @Test
    void reportsHeartbeatsToKafka() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.KAFKA);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            String topic = Infra.topic("tenancy.cell-heartbeats");
            await().atMost(Infra.PATIENCE).until(() -> !consumer.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            await().atMost(Infra.PATIENCE).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode heartbeat = json.readTree(record.value());
                    if ("cell1".equals(record.key()) && "cell1".equals(heartbeat.get("cellId").asText())
                            && heartbeat.hasNonNull("reportedAt") && heartbeat.has("tenants")) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    @Test
    void servesHealthMetricsAndApiDescriptionOnlyOnTheManagementInterface() throws Exception {
        NodeChecks.managementOnlyOnItsOwnPort("shop.shops.localhost");
    }
}
