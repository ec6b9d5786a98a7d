package platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tenancy.ProvisionTenant;
import testsupport.CellKeys;
import testsupport.Infra;
import testsupport.Node;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * Two platforms ({@code PLATFORM_ID}) on one Kafka cluster do not consume each other's messages: a
 * cell of platform Y provisions the shops commanded on Y's topic and never those commanded to a cell
 * of the same id on another platform's topic.
 */
class PlatformIsolationIT {

    private Node cell;

    @AfterEach
    void stopCell() {
        if (cell != null) {
            cell.stop();
        }
    }

    private boolean serves(Shop shop) {
        return given().baseUri(cell.baseUrl()).header("Host", shop.host()).get("/api/storefront/shop").statusCode() == 200;
    }

    @Test
    void aCellReadsOnlyTheCommandsOfItsOwnPlatform() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        PlatformId other = new PlatformId(PlatformId.DEFAULT);
        PlatformId own = new PlatformId("iso-" + suffix);
        String cellId = "p" + suffix;
        cell = Node.cell(cellId, Infra.TEST_CELL2_DB, 1).with("PLATFORM_ID", own.value());
        cell.start();

        // a command to a cell of the same id, but on another platform (the default one) ...
        Shop foreign = Shops.unprovisioned("foreign");
        PublicKey key = CellKeys.of(own, cellId);
        Shops.send(other.topic(ProvisionTenant.topicFor(cellId)), cellId, foreign, List.of(foreign.host()), key);
        // ... and one on the cell's own platform, sent after it
        Shop mine = Shops.unprovisioned("mine");
        Shops.send(own.topic(ProvisionTenant.topicFor(cellId)), cellId, mine, List.of(mine.host()), key);

        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> serves(mine));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !serves(foreign));
    }
}
