package testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Another node of the platform started by a test from the packaged application, configured only by
 * environment variables, as an operator would start it. Its output goes to {@code target/<name>.log}.
 */
public final class Node implements AutoCloseable {

    private final String name;
    private final Map<String, String> env;
    private final int port;
    private final int managementPort;
    private Process process;

    private Node(String name, Map<String, String> env, int port) {
        this.name = name;
        this.port = port;
        this.managementPort = freePort();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        this.env = Map.copyOf(all);
    }

    /** A cell node with the given id on a test cell database (not started yet). */
    public static Node cell(String cellId, String database, int heartbeatSeconds) {
        int port = freePort();
        return new Node(cellId, Map.of(
                "STOREFRONT_ROLE", "cell",
                "CELL_ID", cellId,
                "HTTP_PORT", String.valueOf(port),
                "DB_URL", Infra.PG_URL_PREFIX + database,
                "HEARTBEAT_INTERVAL", heartbeatSeconds + "s",
                "TENANT_HEADER_SECRET", "test-tenant-header-secret"), port);
    }

    /**
     * A control node on the test control database with the tests' operator token, and a node id of
     * its own (so that it never fences another control node of the tests in a shared consumer group).
     */
    public static Node control(int heartbeatSeconds) {
        int port = freePort();
        return new Node("control", Map.of(
                "STOREFRONT_ROLE", "control",
                "NODE_ID", "it" + port,
                "HTTP_PORT", String.valueOf(port),
                "DB_URL", Infra.PG_URL_PREFIX + Infra.TEST_CONTROL_DB,
                "HEARTBEAT_INTERVAL", heartbeatSeconds + "s",
                "OPERATOR_TOKEN", Operator.TOKEN), port);
    }

    /** A gateway keeping its route snapshot in the given file. */
    public static Node gateway(String snapshot) {
        int port = freePort();
        return new Node("gateway", Map.of(
                "STOREFRONT_ROLE", "gateway",
                "HTTP_PORT", String.valueOf(port),
                "ROUTE_SNAPSHOT", snapshot,
                "TENANT_HEADER_SECRET", "test-tenant-header-secret",
                // every test client is 127.0.0.1: the production limit of sign-ins per address would be one for all
                "GATEWAY_SIGN_IN_LIMIT", "600",
                "GATEWAY_SIGN_IN_BURST", "200"), port);
    }

    /**
     * The same node with more (or other) environment variables, for example another
     * {@code PLATFORM_ID} or {@code NODE_ID}; not started yet.
     */
    public Node with(String variable, String value) {
        Map<String, String> more = new java.util.HashMap<>(env);
        more.put(variable, value);
        return new Node(name, Map.copyOf(more), port);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The process id of the running node, for example to freeze it ({@link Infra#freeze}). */
    public long pid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("node " + name + " is not running");
        }
        return process.pid();
    }

    /** The node's management interface (health, metrics, API description, operator views), on loopback. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Starts the node (again, after {@link #stop()} or {@link #kill()}) and waits until it is ready. */
    public Node start() {
        launch();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("node " + name + " exited; see target/" + name + ".log");
                }
                return ready();
            });
        } catch (RuntimeException notReady) {
            kill(); // a node that never became ready must not outlive the test
            throw notReady;
        }
        return this;
    }

    /** How a node that refused to start ended: its exit code and what it printed. */
    public record Exit(int code, String output) {}

    /**
     * Starts the node expecting it to refuse to start: waits until it exits and returns its exit code and
     * what it printed. A node that becomes ready instead is stopped, and the test fails.
     */
    public Exit startExpectingExit() {
        File log = logFile();
        long from = log.length();
        launch();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (process.isAlive() && ready()) {
                    throw new AssertionError("node " + name + " started although it should have refused to; see target/" + name + ".log");
                }
                return !process.isAlive();
            });
        } catch (RuntimeException | AssertionError notExited) {
            stop();
            throw notExited;
        }
        try {
            byte[] all = java.nio.file.Files.readAllBytes(log.toPath());
            return new Exit(process.exitValue(), new String(all, (int) Math.min(from, all.length),
                    (int) (all.length - Math.min(from, all.length)), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private File logFile() {
        return new File("target/" + name + ".log");
    }

    private void launch() {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile()));
        builder.environment().putAll(Infra.servers());
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + name, e);
        }
    }

    /** Stops the node (as an operator's SIGTERM would) and waits until it is gone. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops these nodes one after the other, in this order; a null one (never created) is passed over. */
    public static void stopAll(Node... nodes) {
        for (Node node : nodes) {
            if (node != null) {
                node.stop();
            }
        }
    }

    /**
     * Kills the node as a crash would ({@code kill -9}: {@link ProcessHandle#destroyForcibly()} sends
     * SIGKILL): no shutdown hook runs, so it leaves its Kafka groups and connections behind.
     */
    public void kill() {
        if (process != null && process.isAlive()) {
            ProcessHandle handle = process.toHandle();
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean ready() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(managementUrl() + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(3000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
