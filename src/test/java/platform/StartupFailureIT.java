package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import testsupport.Infra;

/** Bad configuration stops the packaged application fast with one clear message, not a stack trace. */
class StartupFailureIT {

    record Outcome(int exitCode, String output) {}

    private static Outcome start(Map<String, String> env) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> List.of("STOREFRONT_ROLE", "CELL_ID", "PLATFORM_ID", "NODE_ID").contains(key));
        builder.environment().put("HTTP_PORT", "0");
        builder.environment().putAll(Infra.servers());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running: " + output);
        }
        return new Outcome(process.exitValue(), output);
    }

    private static void assertNoStackTrace(String output) {
        assertFalse(output.lines().anyMatch(line -> line.startsWith("\tat ")), "no stack trace:\n" + output);
    }

    @Test
    void missingRole() throws Exception {
        Outcome outcome = start(Map.of());
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.output().contains("STOREFRONT_ROLE is not set; set it to one of: cell, control, gateway"),
                outcome.output());
        assertNoStackTrace(outcome.output());
    }

    @Test
    void unknownRole() throws Exception {
        Outcome outcome = start(Map.of("STOREFRONT_ROLE", "router"));
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.output().contains("STOREFRONT_ROLE='router' is not a known role; set it to one of: cell, control, gateway"),
                outcome.output());
        assertNoStackTrace(outcome.output());
    }

    @Test
    void cellWithoutCellId() throws Exception {
        Outcome outcome = start(Map.of("STOREFRONT_ROLE", "cell"));
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.output().contains("CELL_ID is required when STOREFRONT_ROLE=cell"), outcome.output());
        assertNoStackTrace(outcome.output());
    }

    @Test
    void invalidPlatformId() throws Exception {
        Outcome outcome = start(Map.of("STOREFRONT_ROLE", "gateway", "PLATFORM_ID", "Shop_EU"));
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.output().contains("storefront: cannot start: PLATFORM_ID='Shop_EU' is invalid: use 1-40"
                + " lower-case letters, digits or dashes, starting and ending with a letter or digit"), outcome.output());
        assertEquals(1, outcome.output().lines().filter(line -> !line.isBlank()).count(), outcome.output());
        assertNoStackTrace(outcome.output());
    }

    @Test
    void unreachableDatabase() throws Exception {
        for (String role : List.of("control", "cell")) {
            Outcome outcome = start(Map.of("STOREFRONT_ROLE", role, "CELL_ID", "cell1",
                    "DB_URL", "jdbc:postgresql://127.0.0.1:1/nowhere"));
            assertEquals(1, outcome.exitCode(), outcome.output());
            assertTrue(outcome.output().contains("Cannot connect to the " + role
                    + " database at jdbc:postgresql://127.0.0.1:1/nowhere: Connection refused"), outcome.output());
            assertNoStackTrace(outcome.output());
        }
    }

    @Test
    void wrongMigrationCredentials() throws Exception {
        Outcome outcome = start(Map.of("STOREFRONT_ROLE", "cell", "CELL_ID", "cell1",
                "DB_URL", Infra.PG_URL_PREFIX + Infra.TEST_CELL_DB, "DB_MIGRATION_PASSWORD", "wrong"));
        assertEquals(1, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("Schema migration of the cell database"), outcome.output());
        assertTrue(outcome.output().contains("DB_MIGRATION_USER"), outcome.output());
        assertNoStackTrace(outcome.output());
    }
}
