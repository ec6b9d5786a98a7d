package gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.Node;
import testsupport.RouteSnapshots;

/**
 * Two gateways hold a shop to one rate limit (ADR 0023): each decides in memory, and every round adds what it
 * admitted to the shop's bucket in Redis and takes the shared bucket back. A shop that spent its burst on one
 * gateway finds it spent on the other within a round, not a second burst there. Both gateways run on a platform
 * of their own with one route from a snapshot file (its cell is never reached: the test looks only at the limit).
 */
class SharedRateLimitIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aBurstSpentOnOneGatewayIsSpentOnTheOther() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // 1 request a second, 20 at once: a burst spent stays spent for the whole test
        RouteSnapshots.OneRoute shop = RouteSnapshots.unreachableShop("shared-" + suffix, 1, 20);
        String host = shop.host();
        Path snapshot = shop.snapshot();
        try (Node first = Node.gateway(snapshot.toString()).with("PLATFORM_ID", "shared-" + suffix).start();
             Node second = Node.gateway(snapshot.toString()).with("PLATFORM_ID", "shared-" + suffix).start()) {
            // the first gateway admits the whole burst, then refuses
            for (int i = 0; i < 20; i++) {
                assertNotEquals(429, status(first, host), "request " + i + " of the burst");
            }
            assertEquals(429, status(first, host));
            // the second, which has not seen the shop yet, admits its first request, then learns from the shared
            // bucket within a round (50 ms) that the burst is spent
            AtomicInteger admitted = new AtomicInteger();
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                int status = status(second, host);
                if (status != 429) {
                    admitted.incrementAndGet();
                }
                return status == 429;
            });
            assertTrue(admitted.get() <= 3, "requests the second gateway admitted before it knew: " + admitted.get());
            // and from then on it refuses too
            for (int i = 0; i < 5; i++) {
                assertEquals(429, status(second, host));
            }
        } finally {
            Files.deleteIfExists(snapshot);
        }
    }

    private static int status(Node gateway, String host) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/storefront/shop"))
                .header("Host", host).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
