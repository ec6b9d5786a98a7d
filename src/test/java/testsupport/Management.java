package testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management interface (health, metrics, API description, operator views) of the application that
 * {@code @QuarkusIntegrationTest} started. Its port is chosen by the system ({@code MANAGEMENT_PORT=0},
 * from {@link #randomPort()} in every test profile), so that two checkouts run their tests side by
 * side. Quarkus' launcher learns only the main port from the application's log; the management port is
 * read here from the same log ({@code target/quarkus.log}), from the line Quarkus writes at start:
 * {@code Listening on: http://127.0.0.1:41234. Management interface listening on http://127.0.0.1:40123.}
 */
public final class Management {

    private static final Pattern LISTENING = Pattern.compile("Management interface listening on (https?)://([^:\\s]+):(\\d+)");

    private Management() {}

    /** Test-profile settings that give the packaged application a free management port. */
    public static Map<String, String> randomPort() {
        return Map.of("MANAGEMENT_PORT", "0");
    }

    /** The base URL of the running application's management interface (the last start in the log). */
    public static String url() {
        String log;
        try {
            log = Files.readString(Path.of("target/quarkus.log"));
        } catch (IOException e) {
            throw new IllegalStateException("no application log at target/quarkus.log", e);
        }
        Matcher matcher = LISTENING.matcher(log);
        String url = null;
        while (matcher.find()) {
            url = matcher.group(1) + "://" + matcher.group(2) + ":" + matcher.group(3);
        }
        if (url == null) {
            throw new IllegalStateException("the application log names no management interface");
        }
        return url;
    }

    /**
     * Asserts that nothing under {@code /q/} answers on the node's public port: the management paths,
     * also reached through dot-segments and percent-encoded dot-segments, get a 404 problem.
     */
    public static void assertNotOnPublicPort(String baseUrl, String host) throws IOException {
        for (String target : List.of("/q/metrics", "/q/health/ready", "/q/health/live", "/q/health", "/q/openapi",
                "/q/gateway/top-tenants", "/q/gateway/routes", "/q", "/q/", "/Q/metrics",
                "/api/storefront/../../q/metrics", "/api/storefront/%2e%2e/%2e%2e/q/metrics",
                "/api/storefront/%2E%2E/%2E%2E/q/health/ready", "/api/./../q/openapi", "//q/metrics")) {
            RawHttp.Response response = RawHttp.send(baseUrl, "GET " + target + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n");
            assertEquals(404, response.status(), target + " answered " + response.status() + ": " + response.body());
            assertTrue(response.header("Content-Type").startsWith("application/problem+json"), target + ": " + response.head());
        }
    }
}
