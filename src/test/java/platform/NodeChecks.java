package platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import testsupport.Infra;
import testsupport.Management;

/** Assertions shared by the per-role node tests. */
final class NodeChecks {

    private NodeChecks() {}

    /** A request to the node's management interface (health, metrics, API description). */
    static RequestSpecification management() {
        return given().baseUri(Management.url());
    }

    /** The packaged application's public port, as the test launcher gave it to REST Assured. */
    static String publicUrl() {
        return "http://127.0.0.1:" + io.restassured.RestAssured.port;
    }

    /**
     * Health, metrics and the API description answer on the management interface, which listens on
     * loopback, and on no path of the public port.
     */
    static void managementOnlyOnItsOwnPort(String host) throws IOException {
        assertTrue(Management.url().startsWith("http://127.0.0.1:"), "management interface on loopback: " + Management.url());
        management().get("/q/health/ready").then().statusCode(200);
        management().get("/q/health/live").then().statusCode(200);
        management().get("/q/metrics").then().statusCode(200);
        management().get("/q/openapi").then().statusCode(200);
        Management.assertNotOnPublicPort(publicUrl(), host);
    }


    /**
     * Names of the readiness checks once the node reports UP (an earlier test may just have restarted
     * a dependency, whose clients reconnect within a few seconds).
     */
    static List<String> readyChecks() {
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> management().get("/q/health/ready").then().statusCode(200));
        JsonPath health = management().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        return health.getList("checks.name");
    }

    static Map<String, Object> check(String name) {
        JsonPath health = management().get("/q/health/ready").then().extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
    }

    /** Asserts a 404 problem for a path that belongs to another role. */
    static void notServed(String path) {
        given().header("Authorization", "Bearer " + ControlRoleProfile.OPERATOR_TOKEN)
                .get(path).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(404));
    }

    /** Every metric sample carries the role tag (and the cell tag). */
    static void metricsTagged(String role, String cell) {
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> samples = metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
        assertFalse(samples.isEmpty());
        for (String sample : samples) {
            assertTrue(sample.contains("role=\"" + role + "\"") && sample.contains("cell=\"" + cell + "\""),
                    "untagged metric: " + sample);
        }
    }

    /** Stops a dependency, waits for readiness to report it DOWN (liveness stays UP), restarts it, waits for UP. */
    static void readinessFollows(String component, String checkName) {
        try {
            Infra.infra("stop", component);
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                management().get("/q/health/ready").then().statusCode(503);
                assertTrue("DOWN".equals(check(checkName).get("status")), checkName + " reported DOWN");
            });
            management().get("/q/health/live").then().statusCode(200);
        } finally {
            Infra.infra("start", component);
        }
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> management().get("/q/health/ready").then().statusCode(200));
    }

    /** The packaged application's log, written by the integration-test launcher. */
    static String log() throws IOException {
        return Files.readString(Path.of("target/quarkus.log"));
    }
}
