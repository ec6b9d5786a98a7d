package controlplane;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.Node;
import testsupport.Operator;

/**
 * Hot-tenant detection (ADR 0018) on a control node and two cells on loopback: one shop of cell A sends
 * many times its quiet neighbour's requests; the cell's heartbeats carry the shops' shares, the control
 * plane lists the noisy shop (and only it) as a move candidate once it has stayed hot for the configured
 * window, and placement no longer counts cell A as eligible: the next new shop goes to cell B, the only
 * eligible cell.
 */
class HotTenantIT {

    static final Duration WINDOW = Duration.ofSeconds(3);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    static Node control;
    static Node cellA;
    static Node cellB;
    static String idA;
    static String idB;
    static String suffix;
    static Operator operator;

    @BeforeAll
    static void platform() {
        suffix = UUID.randomUUID().toString().substring(0, 6);
        idA = "hta" + suffix;
        idB = "htb" + suffix;
        control = Node.control(1).with("HOT_TENANT_WINDOW", WINDOW.toSeconds() + "s").start();
        operator = new Operator(control);
        cellA = Node.cell(idA, Infra.TEST_CELL_DB, 1).start();
        cellB = Node.cell(idB, Infra.TEST_CELL2_DB, 1).start();
        operator.register(idA, cellA, 1_000_000, 100_000);
        operator.register(idB, cellB, 1_000_000, 100_000);
        operator.drainAllBut(idA, idB);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.undrainDrained();
        }
        Node.stopAll(cellA, cellB, control);
    }

    static RequestSpecification operator() {
        return operator.api();
    }

    /** Creates a shop and waits until it is active; its id and cell. */
    static String[] shop(String handle) {
        String id = operator.create(handle).id();
        return new String[] {id, operator.awaitActive(id)};
    }

    /** A storefront read sent straight to the cell, as its gateway would. */
    static int read(Node cell, String host) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(cell.baseUrl() + "/api/storefront/shop"))
                    .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void theNoisyShopIsListedAsAMoveCandidateAndTheNextShopGoesElsewhere() throws InterruptedException {
        // both shops on cell A: B is drained while they are created
        operator().post("/api/controlplane/cells/" + idB + "/drain").then().statusCode(200);
        String[] noisy = shop("htn-" + suffix);
        String[] quiet = shop("htq-" + suffix);
        operator().post("/api/controlplane/cells/" + idB + "/undrain").then().statusCode(200);
        assertEquals(idA, noisy[1]);
        assertEquals(idA, quiet[1]);
        String noisyHost = "htn-" + suffix + ".shops.localhost";
        String quietHost = "htq-" + suffix + ".shops.localhost";
        await().atMost(Duration.ofSeconds(30)).until(() -> read(cellA, noisyHost) == 200 && read(cellA, quietHost) == 200);

        AtomicInteger failed = new AtomicInteger();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        try {
            // the noisy shop at 40 requests per second, its neighbour at 1
            load.scheduleAtFixedRate(() -> failed.addAndGet(read(cellA, noisyHost) == 200 ? 0 : 1), 0, 25, TimeUnit.MILLISECONDS);
            load.scheduleAtFixedRate(() -> failed.addAndGet(read(cellA, quietHost) == 200 ? 0 : 1), 0, 1, TimeUnit.SECONDS);

            // hot first, then a candidate once it has stayed hot for the window
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonPath hot = operator().get("/api/controlplane/hot-tenants").then().statusCode(200)
                        .body("share", equalTo(0.1f)).body("windowSeconds", equalTo((int) WINDOW.toSeconds()))
                        .extract().jsonPath();
                String mine = "tenants.find { it.tenantId == '" + noisy[0] + "' }";
                assertEquals(idA, hot.getString(mine + ".cellId"), hot.prettify());
                assertEquals("htn-" + suffix, hot.getString(mine + ".handle"));
                assertTrue(hot.getBoolean(mine + ".candidate"), hot.prettify());
                assertTrue(hot.getDouble(mine + ".requestShare") > 0.5, hot.prettify());
                assertTrue(hot.getDouble(mine + ".requestRate") >= 5, hot.prettify());
                assertTrue(hot.getLong(mine + ".hotFor") >= WINDOW.toSeconds(), hot.prettify());
                assertTrue(hot.getList("tenants.tenantId").stream().noneMatch(quiet[0]::equals), "the quiet shop is not hot");
                assertTrue(hot.getBoolean("cells." + idA + ".crowded"), hot.prettify());
            });

            // placement keeps new shops off the crowded cell: B is the only eligible cell
            String[] next = shop("htx-" + suffix);
            assertEquals(idB, next[1]);
            operator().get("/api/controlplane/tenants/" + next[0] + "/history").then().statusCode(200)
                    .body("detail", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("placed on " + idB + ": only eligible cell")));
        } finally {
            // no new reads; those under way finish (an interrupted read would count as failed)
            load.shutdown();
        }
        assertTrue(load.awaitTermination(30, TimeUnit.SECONDS), "the reads under way finished");
        assertEquals(0, failed.get(), "every read of both shops answered 200");
    }
}
