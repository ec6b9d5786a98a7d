package bench.driver.chaos;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's nodes as bin/platform records them (PLATFORM_STATE_DIR): their pids, readiness
 * (asked of {@code bin/platform status}, so that it follows wherever the platform puts its health
 * endpoint), kill -9, and a restart with exactly the environment bin/platform started the node with
 * ({@code env/<node>.env}), recorded in the same pid file so that {@code bin/platform down} stops it.
 */
final class Nodes {

    private final Path stateDir;
    private final Path platformScript;
    private final String java;
    private final String javaOpts;
    private final String healthUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1)).build();

    /**
     * @param healthUrl empty: readiness from {@code bin/platform status}; else a URL template polled
     *                  for 200, {@code {url}} standing for the node's PUBLIC_URL and {@code {management}} for its
     *                  management interface (e.g. {@code {management}/q/health/ready})
     */
    Nodes(Path stateDir, Path platformScript, String java, String javaOpts, String healthUrl) {
        this.healthUrl = healthUrl;
        this.stateDir = stateDir;
        this.platformScript = platformScript;
        this.java = java;
        this.javaOpts = javaOpts;
    }

    Path envFile(String node) {
        return stateDir.resolve("env").resolve(node + ".env");
    }

    long pid(String node) throws IOException {
        return Long.parseLong(Files.readAllLines(stateDir.resolve(node + ".pid")).get(0).trim());
    }

    /** kill -9 of the node's JVM; returns once it is gone. */
    void kill9(String node) throws Exception {
        signal(pid(node), "KILL");
        awaitGone(pid(node));
    }

    /** SIGTERM (a graceful stop); returns once it is gone. */
    void stop(String node) throws Exception {
        signal(pid(node), "TERM");
        awaitGone(pid(node));
    }

    private static void awaitGone(long pid) throws InterruptedException {
        Deadline d = Deadline.in(Duration.ofSeconds(30));
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            d.check("process " + pid + " still alive");
            Thread.sleep(20); // polling interval
        }
    }

    static void signal(long pid, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + out.trim());
        }
    }

    /** Starts the node again as bin/platform did (same environment, options, jar and log file). */
    void start(String node) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setsid", "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin",
                "HOME=" + System.getProperty("user.home"), "LANG=C.UTF-8", "JAVA_HOME=" + System.getenv().getOrDefault("JAVA_HOME", "")));
        for (String line : Files.readAllLines(stateDir.resolve("env").resolve(node + ".env"))) {
            if (!line.isBlank()) {
                cmd.add(line);
            }
        }
        cmd.add(java);
        for (String o : javaOpts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        Path aot = stateDir.resolve("aot").resolve(node + ".aot");
        if (Files.exists(aot) && Files.size(aot) > 0) {
            cmd.add("-XX:AOTCache=" + aot); // bin/platform's cache of this node, as it would start it
        }
        cmd.add("-Dstorefront-platform.node=" + node);
        cmd.add("-jar");
        cmd.add(stateDir.resolve("app").resolve("quarkus-run.jar").toString());
        File log = stateDir.resolve("logs").resolve(node + ".log").toFile();
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        Files.writeString(stateDir.resolve(node + ".pid"), p.pid() + "\n");
    }

    /** The node's address as its environment advertises it (PUBLIC_URL, else HTTP_HOST:HTTP_PORT). */
    String url(String node) throws IOException {
        String host = "127.0.0.1", port = "";
        for (String line : Files.readAllLines(stateDir.resolve("env").resolve(node + ".env"))) {
            if (line.startsWith("PUBLIC_URL=")) {
                return line.substring("PUBLIC_URL=".length());
            } else if (line.startsWith("HTTP_HOST=")) {
                host = line.substring("HTTP_HOST=".length());
            } else if (line.startsWith("HTTP_PORT=")) {
                port = line.substring("HTTP_PORT=".length());
            }
        }
        return "http://" + host + ":" + port;
    }

    /** The node's management interface (MANAGEMENT_HOST:MANAGEMENT_PORT of its environment). */
    String managementUrl(String node) throws IOException {
        String host = "127.0.0.1", port = "";
        for (String line : Files.readAllLines(stateDir.resolve("env").resolve(node + ".env"))) {
            if (line.startsWith("MANAGEMENT_HOST=")) {
                host = line.substring("MANAGEMENT_HOST=".length());
            } else if (line.startsWith("MANAGEMENT_PORT=")) {
                port = line.substring("MANAGEMENT_PORT=".length());
            }
        }
        return "http://" + host + ":" + port;
    }

    /** A URL template with {@code {url}} (the node's public address) and {@code {management}} filled in. */
    String expand(String template, String node) throws IOException {
        String url = template.contains("{url}") ? template.replace("{url}", url(node)) : template;
        return url.contains("{management}") ? url.replace("{management}", managementUrl(node)) : url;
    }

    /** Whether the node is ready: its health URL answers 200, or {@code bin/platform status} says so. */
    boolean ready(String node) throws Exception {
        if (!healthUrl.isEmpty()) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(expand(healthUrl, node)))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }
        Process p = new ProcessBuilder("bash", platformScript.toString(), "status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 5 && f[0].equals(node)) {
                return f[1].equals("up") && f[5].equals("ready");
            }
        }
        return false;
    }

    /** Polls readiness until the deadline; returns the time it became ready (System.nanoTime). */
    long awaitReady(String node, Duration timeout) throws Exception {
        Deadline d = Deadline.in(timeout);
        while (!ready(node)) {
            if (!ProcessHandle.of(pid(node)).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException(node + " exited before it was ready (see its log)");
            }
            d.check(node + " not ready");
            Thread.sleep(healthUrl.isEmpty() ? 100 : 25); // polling interval
        }
        return System.nanoTime();
    }
}
