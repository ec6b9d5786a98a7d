package bench.driver.chaos;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * One cell's database made unreachable: its shops fail fast (503 with Retry-After, no timeout), the
 * other cell's shops see no error; the cell serves again once the database is back.
 *
 * <p>"Fast" is 100 ms at p99, or, on a machine so loaded that the healthy cell's own answers in the
 * same window are slower than that, no slower than twice the healthy cell's p99: a failure that waited
 * on a connection or statement timeout takes seconds and fails either way, while scheduling noise that
 * slows every answer alike does not turn the verdict.
 */
final class CellDatabaseDown implements Scenario {

    @Override
    public String id() {
        return "cell-db-down";
    }

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        String cell = ctx.options().get("db-down-cell", "cell2");
        String other = cell.equals("cell1") ? "cell2" : "cell1";
        Duration down = ctx.options().seconds("db-down-seconds", 20, 5);
        double boundMs = ctx.options().number("db-down-p99-bound-ms", 100);
        String db = database(ctx, cell);
        Verdict v = new Verdict(id(), "database of " + cell + " (" + db + ") down for " + down.toSeconds() + " s",
                cell + ": every failure a 503 with Retry-After, p99 of failures <= " + (long) boundMs
                        + " ms (or twice " + other + "'s p99 in the window if that is higher), no timeout; "
                        + other + ": 0 errors");
        ctx.infra().closeDatabase(db);
        long from = System.nanoTime();
        long to;
        try {
            Thread.sleep(down.toMillis()); // the outage itself
        } finally {
            to = System.nanoTime();
            ctx.infra().openDatabase(db);
        }
        ctx.load().settle(to);
        List<SteadyLoad.Sample> mine = ctx.load().window(from, to, s -> s.shop().cell().equals(cell));
        List<SteadyLoad.Sample> failing = mine.stream().filter(s -> !s.ok()).toList();
        JsonObject fail = SteadyLoad.stats(failing);
        JsonObject others = SteadyLoad.stats(ctx.load().window(from, to, s -> s.shop().cell().equals(other)));
        long not503 = failing.stream().filter(s -> s.status() != 503).count();
        long noRetryAfter = failing.stream().filter(s -> s.status() == 503 && !s.retryAfter()).count();
        v.figure(cell + " answers", SteadyLoad.stats(mine).getValue("status"))
                .figure(cell + " failures p99 (ms)", fail.getValue("p99Ms", "-")).figure(cell + " failures max (ms)", fail.getValue("maxMs", "-"))
                .figure(other, CellKill.brief(others));
        // the slowest failure, to tell a slow refusal from a request that waited before it was sent (open loop)
        failing.stream().max(java.util.Comparator.comparingDouble(SteadyLoad.Sample::ms)).ifPresent(slowest ->
                v.figure("slowest failure", slowest.kind() + " " + slowest.status() + " in " + SteadyLoad.round(slowest.ms())
                        + " ms, due " + (slowest.intendedNanos() - from) / 1_000_000 + " ms after the database closed"));
        v.check(!failing.isEmpty(), "no request of " + cell + " failed: was the database really unreachable?");
        v.check(not503 == 0, not503 + " failures of " + cell + " were not 503: " + fail.getValue("status"));
        v.check(noRetryAfter == 0, noRetryAfter + " answers 503 without Retry-After");
        double healthyP99 = others.getDouble("p99Ms", 0.0);
        double allowedMs = Math.max(boundMs, 2 * healthyP99);
        v.figure(other + " p99 (ms), the noise floor", healthyP99).figure("failure p99 allowed (ms)", allowedMs);
        v.check(failing.isEmpty() || fail.getDouble("p99Ms") <= allowedMs,
                "p99 of " + cell + "'s failing answers " + fail.getValue("p99Ms") + " ms, over " + allowedMs + " ms (max of "
                        + (long) boundMs + " ms and twice " + other + "'s p99)");
        v.check(others.getLong("errors") == 0, other + " had errors: " + others.getValue("status"));
        long back = System.nanoTime();
        for (ChaosShop s : ctx.shopsOn(cell)) {
            CellKill.awaitOk(ctx.setup(), ctx.gateway(), s, Duration.ofSeconds(60));
        }
        v.figure("serving again after (ms)", (System.nanoTime() - back) / 1_000_000);
        return List.of(v);
    }

    /** The cell's database name, from the DB_URL it was started with. */
    static String database(Context ctx, String cell) throws Exception {
        for (String line : Files.readAllLines(ctx.nodes().envFile(cell))) {
            if (line.startsWith("DB_URL=")) {
                String url = line.substring(7);
                String name = url.substring(url.lastIndexOf('/') + 1);
                int q = name.indexOf('?');
                return q < 0 ? name : name.substring(0, q);
            }
        }
        throw new IllegalStateException("no DB_URL in the environment of " + cell);
    }
}
