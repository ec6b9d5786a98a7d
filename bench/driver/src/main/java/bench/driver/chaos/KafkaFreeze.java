package bench.driver.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Kafka frozen (SIGSTOP) under load, then thawed: checkouts keep committing (201) while it is frozen,
 * and after the thaw every order acknowledged meanwhile has exactly one OrderPlaced event.
 */
final class KafkaFreeze implements Scenario {

    @Override
    public String id() {
        return "kafka-freeze";
    }

    @Override
    public List<Verdict> run(Context ctx) throws Exception {
        Duration freeze = ctx.options().seconds("kafka-freeze-seconds", 60, 10);
        Verdict v = new Verdict(id(), "freeze Kafka (SIGSTOP) for " + freeze.toSeconds() + " s",
                "while frozen: checkouts answered 201, 0 checkout errors; after: 1 OrderPlaced per 201 order (within 120 s)");
        long pid = ctx.infra().kafkaPid();
        long from = System.nanoTime();
        ctx.infra().freeze(pid);
        try {
            Thread.sleep(freeze.toMillis()); // the freeze itself
        } finally {
            ctx.infra().thaw(pid);
        }
        long to = System.nanoTime();
        ctx.load().settle(to);
        JsonObject orders = SteadyLoad.stats(ctx.load().window(from, to, s -> s.kind().equals("order")));
        JsonObject browse = SteadyLoad.stats(ctx.load().window(from, to, s -> s.kind().equals("browse")));
        v.figure("checkout while frozen", CellKill.brief(orders)).figure("browse while frozen", CellKill.brief(browse));
        v.check(orders.getLong("ok") > 0, "no checkout answered 201 while Kafka was frozen");
        v.check(orders.getLong("errors") == 0, "checkout errors while Kafka was frozen: " + orders.getValue("status"));
        ctx.audit().check(ctx.load().window(from, to, s -> true), Duration.ofSeconds(120), v);
        return List.of(v);
    }
}
