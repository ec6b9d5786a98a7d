package gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.Metrics;
import testsupport.Node;
import testsupport.RouteSnapshots;

/**
 * A gateway whose Redis does not answer decides rate limits alone (ADR 0023), and says so: every reconciliation
 * round that could not reach Redis is counted in {@code gateway_ratelimit_fallbacks_total{reason}} ({@code timeout}
 * for a round that got no answer, {@code paused} for the rounds skipped while Redis is left alone after it) and the
 * burst is logged at WARN once; requests are decided all along, never held up by Redis. The gateway runs on a
 * platform of its own with one route from its snapshot file (its cell is never reached: the test looks only at
 * the rate limiter).
 */
class RateLimitFallbackIT {

    static final String METRIC = "gateway_ratelimit_fallbacks_total";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void decisionsWithoutRedisAreCountedByReasonAndLoggedOncePerBurst() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        RouteSnapshots.OneRoute shop = RouteSnapshots.unreachableShop("rl-" + suffix, 100_000, 100_000);
        String host = shop.host();
        Path snapshot = shop.snapshot();
        Path log = Path.of("target/gateway.log");
        long logFrom = Files.exists(log) ? Files.size(log) : 0;
        try (Node gateway = Node.gateway(snapshot.toString()).with("PLATFORM_ID", "rl-" + suffix).start()) {
            burst(gateway, host, 1); // with Redis: the first round loads the script

            long redis = Infra.redisPid();
            Infra.freeze(redis);
            try {
                await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
                    burst(gateway, host, 20);
                    Map<String, Double> reasons = Metrics.byTag(gateway.managementUrl(), METRIC, "reason");
                    return reasons.getOrDefault("timeout", 0.0) > 0 && reasons.getOrDefault("paused", 0.0) > 0;
                });
            } finally {
                Infra.thaw(redis);
            }
        } finally {
            Files.deleteIfExists(snapshot);
        }
        String output = Files.readString(log).substring((int) logFrom);
        long warnings = output.lines().filter(line -> line.contains(" WARN ") && line.contains("Rate limits decided by this gateway alone")).count();
        assertTrue(warnings >= 1 && warnings <= 2, warnings + " warnings for one burst of decisions without Redis:\n" + output);
    }

    /** Sends requests for the host to the gateway at once and waits for every answer (whatever it is). */
    private static void burst(Node gateway, String host, int requests) {
        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/storefront/shop"))
                    .header("Host", host).timeout(Duration.ofSeconds(10)).GET().build();
            answers.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }
}
