package testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The private PostgreSQL, Redis and Kafka that {@code bin/infra} runs for the tests, and ways to
 * stop and start them to prove how nodes behave when a dependency fails.
 */
public final class Infra {

    /** Ports of this checkout's servers, as {@code bin/infra env} exports them (bin/test does). */
    public static final int PG_PORT = port("INFRA_PG_PORT", 55432);
    public static final int REDIS_PORT = port("INFRA_REDIS_PORT", 56379);
    public static final int KAFKA_PORT = port("INFRA_KAFKA_PORT", 59092);
    public static final String PG_URL_PREFIX = "jdbc:postgresql://127.0.0.1:" + PG_PORT + "/";
    public static final String TEST_CELL_DB = "storefront_test_cell1";
    public static final String TEST_CELL2_DB = "storefront_test_cell2";
    public static final String TEST_CONTROL_DB = "storefront_test_control";
    public static final String KAFKA = "127.0.0.1:" + KAFKA_PORT;
    public static final String REDIS_URL = "redis://127.0.0.1:" + REDIS_PORT;
    public static final String OWNER = "storefront_owner";
    public static final String APP = "storefront_app";

    private Infra() {}

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    /** Where a node finds this checkout's Redis and Kafka (its database is set per node). */
    public static java.util.Map<String, String> servers() {
        return java.util.Map.of("REDIS_URL", REDIS_URL, "KAFKA_BOOTSTRAP_SERVERS", KAFKA);
    }

    /** The repository root (the tests run from it or from a sub-folder). */
    public static Path repo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("bin/infra"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("bin/infra not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Runs {@code bin/infra <args>} and fails the test if it fails. */
    public static void infra(String... args) {
        List<String> command = new ArrayList<>();
        command.add(repo().resolve("bin/infra").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(repo().toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("bin/infra " + String.join(" ", args) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where {@code bin/infra} keeps its servers ({@code INFRA_HOME}, exported by bin/test; else {@code .infra}). */
    public static Path home() {
        String home = System.getenv("INFRA_HOME");
        return home == null || home.isBlank() ? repo().resolve(".infra") : Path.of(home);
    }

    /** The process id of this checkout's Kafka broker. */
    public static long kafkaPid() {
        return pid(home().resolve("kafka/kafka.pid"));
    }

    /** The process id of this checkout's Redis. */
    public static long redisPid() {
        return pid(home().resolve("redis/redis.pid"));
    }

    private static long pid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("no process id in " + file + " (is the server running?)", e);
        }
    }

    /**
     * Freezes a server (SIGSTOP): its port stays open and its clients' connections stay up, but nothing
     * answers, as with a server stalled by a long pause or an overloaded machine. {@link #thaw} it in a
     * {@code finally}.
     */
    public static void freeze(long pid) {
        signal(pid, "STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    public static void thaw(long pid) {
        signal(pid, "CONT");
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A connection to a test database as the owner role (which sees everything). */
    public static Connection owner(String database) throws SQLException {
        return DriverManager.getConnection(PG_URL_PREFIX + database, OWNER, OWNER);
    }

    /** A connection to a test database as the application role. */
    public static Connection app(String database) throws SQLException {
        return DriverManager.getConnection(PG_URL_PREFIX + database, APP, APP);
    }

    /**
     * Binds an open transaction of a direct connection to a tenant (the row-level security setting
     * the application sets first in every transaction), so that the test sees that tenant's rows.
     */
    public static void bindTenant(Connection connection, java.util.UUID tenant) throws SQLException {
        try (PreparedStatement bind = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
            bind.setString(1, tenant.toString());
            bind.execute();
        }
    }

    /** Number of open server connections to a database whose application name starts with the prefix. */
    public static long connections(String database, String applicationNamePrefix) throws SQLException {
        try (Connection connection = owner("postgres");
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from pg_stat_activity where datname = ? and application_name like ?")) {
            query.setString(1, database);
            query.setString(2, applicationNamePrefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Open server connections to any database but {@code ownDatabase} whose application name starts with the prefix. */
    public static long connectionsOutside(String ownDatabase, String applicationNamePrefix) throws SQLException {
        try (Connection connection = owner("postgres");
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from pg_stat_activity where datname <> ? and application_name like ?")) {
            query.setString(1, ownDatabase);
            query.setString(2, applicationNamePrefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * A topic of the default platform (the nodes the tests start set no {@code PLATFORM_ID}):
     * {@code storefront.<module>.<event>} for a module-relative name such as {@code tenancy.commands}.
     */
    public static String topic(String events) {
        return new platform.PlatformId(platform.PlatformId.DEFAULT).topic(events);
    }

    /** Upper bound of waits on a condition in the tests. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
}
