package bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provisioning latency on a running local platform: for each new shop, the time from the create call
 * to the control plane until the first successful storefront response through the gateway (the shop
 * is then placed, provisioned on its cell, acknowledged, routed, and serving). Shops are created a few
 * at a time; the storefront is polled every few milliseconds. Prints and writes a Markdown report.
 *
 * <p>Arguments: control URL, gateway URL, operator token, number of shops, concurrency, report file.
 */
public final class ProvisioningLatency {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        String control = args[0];
        String gateway = args[1];
        String token = args[2];
        int shops = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        Path report = Path.of(args[5]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<long[]>> results = new ArrayList<>();
        Instant started = Instant.now();
        for (int i = 0; i < shops; i++) {
            String handle = "bench-" + run + "-" + i;
            results.add(pool.submit(() -> provision(http, control, gateway, token, handle)));
        }
        List<Long> total = new ArrayList<>();
        List<Long> createCall = new ArrayList<>();
        int failed = 0;
        for (Future<long[]> result : results) {
            long[] r = result.get();
            if (r == null) {
                failed++;
            } else {
                total.add(r[0]);
                createCall.add(r[1]);
            }
        }
        pool.shutdown();
        Duration elapsed = Duration.between(started, Instant.now());
        Collections.sort(total);
        Collections.sort(createCall);
        String table = String.format(Locale.ROOT, """
                | measure | n | p50 | p90 | p99 | max |
                |---|---:|---:|---:|---:|---:|
                | create call answered (202) | %d | %d ms | %d ms | %d ms | %d ms |
                | create call to first 200 through the gateway | %d | %d ms | %d ms | %d ms | %d ms |
                """, createCall.size(), pct(createCall, 50), pct(createCall, 90), pct(createCall, 99), pct(createCall, 100),
                total.size(), pct(total, 50), pct(total, 90), pct(total, 99), pct(total, 100));
        String text = "# Provisioning latency\n\n"
                + "Run " + Instant.now() + ": " + shops + " shops, " + concurrency + " created at a time, "
                + failed + " failed, " + elapsed.toSeconds() + " s in all. Machine: "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ".\n\n"
                + table;
        System.out.println(text);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        if (failed > 0) {
            System.exit(1);
        }
    }

    /** Creates one shop and waits for its first storefront 200 through the gateway; null on failure. */
    static long[] provision(HttpClient http, String control, String gateway, String token, String handle) {
        try {
            long start = System.nanoTime();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(control + "/api/controlplane/tenants"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "bench-" + handle)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"" + handle + "\",\"plan\":\"basic\","
                            + "\"ownerEmail\":\"owner@" + handle + ".example\"}"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            Matcher id = ID.matcher(created.body());
            if (created.statusCode() != 202 || !id.find()) {
                System.err.println(handle + ": create answered " + created.statusCode() + " " + created.body());
                return null;
            }
            HttpRequest probe = HttpRequest.newBuilder(URI.create(gateway + "/api/storefront/shop"))
                    .header("Host", handle + ".shops.localhost").timeout(Duration.ofSeconds(5)).build();
            long deadline = start + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    long now = System.nanoTime();
                    return new long[] {(now - start) / 1_000_000, (answered - start) / 1_000_000};
                }
                Thread.sleep(5); // polling interval of the probe, not a wait for a result
            }
            System.err.println(handle + ": no 200 through the gateway within 60 s");
            return null;
        } catch (IOException | InterruptedException e) {
            System.err.println(handle + ": " + e);
            return null;
        }
    }

    static long pct(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
