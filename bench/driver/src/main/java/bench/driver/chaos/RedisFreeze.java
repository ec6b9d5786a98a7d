package bench.driver.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Redis frozen (SIGSTOP) under load, then thawed (SIGCONT): browse and checkout go on, with p99
 * within the bound while it is frozen, and every order acknowledged meanwhile is kept, with its event.
 */
final class RedisFreeze implements Scenario {

    @Override
    public String id() {
        return "redis-freeze";
    }

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        Duration freeze = ctx.options().seconds("redis-freeze-seconds", 30, 5);
        double boundMs = ctx.options().number("redis-p99-bound-ms", 1000);
        Verdict v = new Verdict(id(), "freeze Redis (SIGSTOP) for " + freeze.toSeconds() + " s",
                "while frozen: 0 errors, browse and checkout p99 <= " + (long) boundMs + " ms; after: every 201 order kept, 1 OrderPlaced each");
        long pid = ctx.infra().redisPid();
        long from = System.nanoTime();
        // the same length of load just before, for comparison
        JsonObject before = SteadyLoad.stats(ctx.load().window(from - freeze.toNanos(), from, s -> true));
        ctx.infra().freeze(pid);
        try {
            Thread.sleep(freeze.toMillis()); // the freeze itself
        } finally {
            ctx.infra().thaw(pid);
        }
        long to = System.nanoTime();
        ctx.load().settle(to);
        JsonObject browse = SteadyLoad.stats(ctx.load().window(from, to, s -> s.kind().equals("browse")));
        JsonObject orders = SteadyLoad.stats(ctx.load().window(from, to, s -> s.kind().equals("order")));
        v.figure("browse while frozen", CellKill.brief(browse)).figure("checkout while frozen", CellKill.brief(orders))
                .figure("all load just before", CellKill.brief(before));
        check(v, "browse", browse, boundMs);
        check(v, "checkout", orders, boundMs);
        ctx.audit().check(ctx.load().window(from, to, s -> true), Duration.ofSeconds(60), v);
        return List.of(v);
    }

    static void check(Verdict v, String what, JsonObject stats, double boundMs) {
        v.check(stats.getLong("errors") == 0, what + ": " + stats.getLong("errors") + " errors while frozen " + stats.getValue("status"));
        v.check(stats.getDouble("p99Ms", Double.MAX_VALUE) <= boundMs,
                what + ": p99 " + stats.getValue("p99Ms") + " ms while frozen, over the bound of " + (long) boundMs + " ms");
    }
}
