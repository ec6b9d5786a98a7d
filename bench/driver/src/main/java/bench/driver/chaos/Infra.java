package bench.driver.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The private servers bin/infra started (INFRA_HOME): Redis and Kafka frozen with SIGSTOP and thawed
 * with SIGCONT, a cell database closed to connections and opened again as the PostgreSQL superuser.
 */
final class Infra {

    private final Path home;
    private final String pgBin;
    private final int pgPort;

    Infra(Path home, String pgBin, int pgPort) {
        this.home = home;
        this.pgBin = pgBin;
        this.pgPort = pgPort;
    }

    long redisPid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve("redis/redis.pid")).trim());
    }

    long kafkaPid() throws IOException {
        return Long.parseLong(Files.readString(home.resolve("kafka/kafka.pid")).trim());
    }

    void freeze(long pid) throws Exception {
        Nodes.signal(pid, "STOP");
    }

    void thaw(long pid) throws Exception {
        Nodes.signal(pid, "CONT");
    }

    /**
     * A dead database, as far as a cell can tell: no new connection is admitted (the server refuses
     * it at once, as it would a connection to a stopped server) and every open one is cut.
     */
    void closeDatabase(String db) throws Exception {
        psql("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false",
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + db + "'");
    }

    void openDatabase(String db) throws Exception {
        psql("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
    }

    private String psql(String... sql) throws Exception {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(pgBin + "/psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", home.resolve("postgres/run").toString(),
                "-p", Integer.toString(pgPort), "-U", "postgres", "-d", "postgres"));
        for (String s : sql) {
            cmd.add("-c");
            cmd.add(s);
        }
        Process p = new ProcessBuilder(cmd).directory(new java.io.File("/")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql: " + out.trim());
        }
        return out.trim();
    }
}
