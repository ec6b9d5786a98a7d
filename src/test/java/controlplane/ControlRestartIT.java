package controlplane;

import static org.awaitility.Awaitility.await;

import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.Node;
import testsupport.Operator;

/**
 * A control node that crashed ({@code kill -9}) and is started again sees its cells at once: it does
 * not wait for the dead process's Kafka session to time out (45 s by default) before it reads heartbeats.
 */
class ControlRestartIT {

    private Node control;
    private Node cell;

    @AfterEach
    void stopNodes() {
        Node.stopAll(cell, control);
    }

    private static RequestSpecification operator(Node control) {
        return new Operator(control).api();
    }

    private static Instant lastHeartbeat(Node control, String cellId) {
        String at = operator(control).get("/api/controlplane/cells/" + cellId).then().statusCode(200)
                .extract().path("lastHeartbeatAt");
        return at == null ? Instant.EPOCH : Instant.parse(at);
    }

    @Test
    void aRestartedControlNodeSeesHeartbeatsWithinSecondsOfReadiness() {
        String cellId = "k" + UUID.randomUUID().toString().substring(0, 8);
        control = Node.control(1);
        control.start();
        cell = Node.cell(cellId, Infra.TEST_CELL2_DB, 1);
        cell.start();
        operator(control).body(Map.of("id", cellId, "baseUrl", cell.baseUrl(), "capacityTenants", 10, "capacityLoad", 10))
                .post("/api/controlplane/cells").then().statusCode(201);
        Instant registered = Instant.now();
        await().atMost(Infra.PATIENCE).until(() -> lastHeartbeat(control, cellId).isAfter(registered));

        control.kill();
        control.start();
        Instant ready = Instant.now();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> lastHeartbeat(control, cellId).isAfter(ready));
    }
}
