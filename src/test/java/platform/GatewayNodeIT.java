package platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import testsupport.Infra;

/** The packaged application started as a gateway routes shopper traffic and exposes no admin, cell or control API. */
@QuarkusIntegrationTest
@TestProfile(GatewayRoleProfile.class)
class GatewayNodeIT {

    @Test
    void answersNotFoundOnAdminCellAndControlPlanePaths() {
        for (String path : List.of("/admin", "/api/controlplane/cells", "/api/tenancy/cell", "/")) {
            NodeChecks.notServed(path);
        }
    }

    @Test
    void unknownHostGetsAProblemNamingIt() {
        given().header("Host", "Nobody.Shops.Localhost.:8080").get("/products").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Unknown shop"))
                .body("detail", equalTo("No shop is served at nobody.shops.localhost."));
    }

    @Test
    void readinessCoversRedisAndKafkaAndNoDatabase() {
        List<String> checks = NodeChecks.readyChecks();
        assertTrue(checks.containsAll(List.of("kafka", "redis")), checks.toString());
        Object databases = NodeChecks.check("Database connections health check").get("data");
        assertTrue(databases == null || ((java.util.Map<?, ?>) databases).isEmpty(), "no datasource on a gateway");
    }

    @Test
    void readinessFollowsKafka() {
        NodeChecks.readinessFollows("kafka", "kafka");
    }

    @Test
    void opensNoDatabaseConnection() throws SQLException {
        NodeChecks.management().get("/q/health/ready").then().statusCode(200);
        assertEquals(0, Infra.connectionsOutside("", "storefront-gateway"));
    }

    @Test
    void metricsCarryRole() {
        NodeChecks.metricsTagged("gateway", "none");
    }

    @Test
    void logLinesCarryRole() throws Exception {
        assertFalse(NodeChecks.log().isEmpty());
        assertTrue(NodeChecks.log().contains("[role=gateway cell=- "), "log lines name the role");
    }

    @Test
    void servesHealthMetricsAndApiDescriptionOnlyOnTheManagementInterface() throws Exception {
        NodeChecks.managementOnlyOnItsOwnPort("nobody.shops.localhost");
        NodeChecks.management().get("/q/gateway/top-tenants").then().statusCode(200).body("top", org.hamcrest.Matchers.notNullValue());
        NodeChecks.management().get("/q/gateway/routes").then().statusCode(200).body("loaded", org.hamcrest.Matchers.notNullValue());
    }
}
