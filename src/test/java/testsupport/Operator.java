package testsupport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator of a test's own control node ({@link Node#control}): its API with the tests' operator
 * token, cells registered and waited for, other cells drained for the test's time (so that the shops it
 * creates go where it wants them), and shops created and waited for until they are active.
 */
public final class Operator {

    /** The operator token of the control nodes tests start. */
    public static final String TOKEN = "test-operator-token";

    /** A shop just asked for: its id and its owner's first password. */
    public record Created(String id, String ownerPassword) {}

    private final Node control;
    private final List<String> drained = new ArrayList<>();

    public Operator(Node control) {
        this.control = control;
    }

    /** A request to the control node's operator API. */
    public RequestSpecification api() {
        return given().baseUri(control.baseUrl()).header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    /** Registers a cell node and waits until the control plane counts it healthy (its heartbeats arrive). */
    public void register(String cellId, Node cell, long capacityTenants, long capacityLoad) {
        api().body(Map.of("id", cellId, "baseUrl", cell.baseUrl(), "capacityTenants", capacityTenants, "capacityLoad", capacityLoad))
                .post("/api/controlplane/cells").then().statusCode(201);
        await().atMost(Infra.PATIENCE).until(() -> api().get("/api/controlplane/cells/" + cellId).then().extract().<Boolean>path("healthy"));
    }

    /** Drains every registered cell but these (the cells of earlier tests), until {@link #undrainDrained}. */
    public void drainAllBut(String... keep) {
        Set<String> kept = Set.of(keep);
        for (String other : api().get("/api/controlplane/cells").then().statusCode(200).extract().jsonPath().<String>getList("id")) {
            if (!kept.contains(other) && api().post("/api/controlplane/cells/" + other + "/drain").statusCode() == 200) {
                drained.add(other);
            }
        }
    }

    /** Gives back the cells {@link #drainAllBut} drained (best effort: for an {@code @AfterAll}). */
    public void undrainDrained() {
        for (String other : drained) {
            api().post("/api/controlplane/cells/" + other + "/undrain");
        }
        drained.clear();
    }

    /** Asks for a basic shop with no domain of its own and the owner {@code o@<handle>.example}. */
    public Created create(String handle) {
        var created = api().body(Map.of("handle", handle, "plan", "basic", "domains", List.of(),
                "ownerEmail", "o@" + handle + ".example")).post("/api/controlplane/tenants").then().statusCode(202).extract();
        return new Created(created.path("id"), created.path("ownerPassword"));
    }

    /** Waits until the shop is active; its cell. */
    public String awaitActive(String tenantId) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "active".equals(api().get("/api/controlplane/tenants/" + tenantId).then().extract().path("status")));
        return api().get("/api/controlplane/tenants/" + tenantId).then().extract().path("cellId");
    }
}
